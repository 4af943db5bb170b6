using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// Waits for the client's Certificate after a CertificateRequest (RFC 8446 §4.4.2), or the CompressedCertificate in
/// its place when the request listed compress_certificate (RFC 8879 §4).
/// </summary>
internal sealed class ExpectClientCertificate(ServerHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the client's Certificate";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        CertificateMessage cm;
        if (message.Type == HandshakeType.CompressedCertificate)
        {
            using var body = Decompress(message);
            cm = CertificateMessage.Decode(body.Span);
        }
        else
        {
            message.Require(HandshakeType.Certificate, Expecting);
            cm = CertificateMessage.Decode(message.Body);
        }
        if (!cm.Context.AsSpan().SequenceEqual(cx.CertificateRequestContext))
            throw TlsException.Illegal("the client's Certificate does not echo the CertificateRequest context");
        if (cm.Entries.Count == 0)
        {
            if (cx.Options.ClientCertificateMode == ClientCertificateMode.Required)
                throw new TlsException(AlertDescription.CertificateRequired, "the client sent no certificate, and this server requires one");
            cx.Transcript.Add(message);
            return new ExpectClientFinished(cx, keys);
        }
        foreach (var entry in cm.Entries)
            foreach (var e in entry.Extensions)
                throw new TlsException(AlertDescription.UnsupportedExtension, $"the client's CertificateEntry carries {ExtensionNames.Of(e.Type)}, which the server did not request");
        var chain = PeerCertificateChain.From(cm);
        cx.Connection.PeerCertificates = chain;
        cx.ClientVerifier().Verify(new CertificateVerificationRequest(chain, null, CertificatePurpose.ClientAuthentication, cx.Connection.Now));
        cx.ClientChain = chain;
        // The transcript holds the message as it came, compressed or not (RFC 8879 §4).
        cx.Transcript.Add(message);
        return new ExpectClientCertificateVerify(cx, keys);
    }

    /// <summary>The Certificate body inside a CompressedCertificate, after RFC 8879's checks, in a pooled buffer.</summary>
    private Records.RentedBytes Decompress(HandshakeMessage message)
    {
        var offered = cx.Options.CertificateCompression;
        if (offered.Count == 0)
            throw TlsException.Unexpected("the client sent CompressedCertificate, but the CertificateRequest did not list compress_certificate");
        return CertificateCompressor.DecompressReceived(cx.Connection, message, offered, cx.Options.MaxHandshakeMessageLength);
    }
}
