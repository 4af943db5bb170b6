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
        byte[][] der;
        byte[]? ocsp;
        if (message.Type == HandshakeType.CompressedCertificate)
        {
            using var body = Decompress(message);
            (der, ocsp) = ReadChain(body.Span);
        }
        else
        {
            message.Require(HandshakeType.Certificate, Expecting);
            (der, ocsp) = ReadChain(message.Body);
        }
        var chain = new PeerCertificateChain(der);
        cx.Connection.PeerCertificates = chain;
        cx.Options.ResolveVerifier().Verify(new CertificateVerificationRequest(
            chain, cx.ServerName, CertificatePurpose.ServerAuthentication, cx.Connection.Now, ocsp));
        cx.PeerLeaf = chain.LeafKey();
        // The transcript holds the message as it came, compressed or not (RFC 8879 §4).
        cx.Transcript.Add(message);
        return new ExpectCertificateVerify(cx);
    }

    /// <summary>
    /// The server's Certificate body (RFC 8446 §4.4.2) read in place: each certificate's DER copied once, into the
    /// array the peer chain keeps, and the entries' extensions walked from the message — only what the client asked
    /// for (status_request, whose OCSP response on the leaf is returned) may appear.
    /// </summary>
    private (byte[][] Der, byte[]? Ocsp) ReadChain(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var context = r.ReadVector8();
        var list = r.ReadNested24();
        r.ExpectEnd("Certificate");
        var count = 0;
        for (var counter = list; !counter.IsEmpty; count++)
        {
            if (counter.ReadVector24().IsEmpty) throw TlsException.DecodeError("Certificate entry with empty cert_data");
            ExtensionBlockReader.Of(ref counter);
        }
        if (!context.IsEmpty) throw TlsException.Illegal("the server's Certificate has a non-empty certificate_request_context");
        // RFC 8446 §4.4.2.4: an empty server Certificate is decode_error.
        if (count == 0) throw TlsException.DecodeError("the server sent an empty Certificate message");
        var der = new byte[count][];
        byte[]? ocsp = null;
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        for (var i = 0; i < count; i++)
        {
            der[i] = list.ReadVector24().ToArray();
            seen.Clear();
            var extensions = new ExtensionBlockReader(ExtensionBlockReader.Of(ref list), seen, "CertificateEntry");
            while (extensions.TryRead(out var type, out var extension))
            {
                if (!cx.Offered(type))
                    throw new TlsException(AlertDescription.UnsupportedExtension, $"a CertificateEntry carries {ExtensionNames.Of(type)}, which the client did not request");
                if (type == ExtensionType.StatusRequest && i == 0) ocsp = StatusRequestExtension.ReadCertificateEntry(extension);
            }
        }
        return (der, ocsp);
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
