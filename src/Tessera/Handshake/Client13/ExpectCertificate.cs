using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// Waits for the server's Certificate (RFC 8446 §4.4.2), or the CompressedCertificate in its place when the client
/// offered compress_certificate (RFC 8879 §4), and has the verifier judge the chain.
/// </summary>
internal sealed class ExpectCertificate(ClientHandshake13 cx) : IHandshakeState
{
    public string Expecting => "waiting for the server's Certificate";

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
        if (cm.Context.Length != 0) throw TlsException.Illegal("the server's Certificate has a non-empty certificate_request_context");
        // RFC 8446 §4.4.2.4: an empty server Certificate is decode_error.
        if (cm.Entries.Count == 0) throw TlsException.DecodeError("the server sent an empty Certificate message");
        byte[]? ocsp = null;
        foreach (var entry in cm.Entries)
        {
            foreach (var e in entry.Extensions)
            {
                if (!cx.Offered(e.Type))
                    throw new TlsException(AlertDescription.UnsupportedExtension, $"a CertificateEntry carries {ExtensionNames.Of(e.Type)}, which the client did not request");
                if (e.Type == ExtensionType.StatusRequest && ReferenceEquals(entry, cm.Entries[0]))
                    ocsp = StatusRequestExtension.ReadCertificateEntry(e.Body);
            }
        }
        var chain = PeerCertificateChain.From(cm);
        cx.Connection.PeerCertificates = chain;
        cx.Options.ResolveVerifier().Verify(new CertificateVerificationRequest(
            chain, cx.ServerName, CertificatePurpose.ServerAuthentication, cx.Connection.Now, ocsp));
        cx.PeerLeaf = chain.LeafKey();
        // The transcript holds the message as it came, compressed or not (RFC 8879 §4).
        cx.Transcript.Add(message);
        return new ExpectCertificateVerify(cx);
    }

    /// <summary>The Certificate body inside a CompressedCertificate, after RFC 8879's checks, in a pooled buffer.</summary>
    private Records.RentedBytes Decompress(HandshakeMessage message)
    {
        if (!cx.Offered(ExtensionType.CompressCertificate))
            throw TlsException.Unexpected("the server sent CompressedCertificate, but the client did not offer compress_certificate");
        var body = CertificateCompressor.Decompress(message.Body, cx.Options.CertificateCompression, cx.Options.MaxHandshakeMessageLength, out var algorithm);
        cx.Connection.ReceivedCertificateCompression = new CertificateCompressionResult(
            algorithm, HandshakeMessage.HeaderLength + body.Length, message.Length);
        return body;
    }
}
