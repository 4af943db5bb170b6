using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// Waits for the server's Certificate (RFC 8446 §4.4.2), or the CompressedCertificate in its place when the client
/// offered compress_certificate (RFC 8879 §4), and has the verifier judge the chain.
/// </summary>
internal sealed class ExpectCertificate(ClientHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the server's Certificate";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        PeerCertificateChain chain;
        byte[]? ocsp;
        if (message.Type == HandshakeType.CompressedCertificate)
        {
            using var body = Decompress(message);
            (chain, ocsp) = ReadChain(body.Span);
        }
        else
        {
            message.Require(HandshakeType.Certificate, Expecting);
            (chain, ocsp) = ReadChain(message.Body);
        }
        cx.Connection.PeerCertificates = chain;
        cx.Options.ResolveVerifier().Verify(new CertificateVerificationRequest(
            chain, cx.ServerName, CertificatePurpose.ServerAuthentication, cx.Connection.Now, ocsp));
        cx.PeerLeaf = chain.LeafKey();
        // The transcript holds the message as it came, compressed or not (RFC 8879 §4).
        cx.Transcript.Add(message);
        return new ExpectCertificateVerify(cx, keys);
    }

    /// <summary>
    /// The server's Certificate body (RFC 8446 §4.4.2) read in place: a certificate met before (the same bytes, in the
    /// parse cache) is not copied at all — the chain shares the cache's array and parse; any other is copied once, into
    /// the array the chain keeps. The entries' extensions are walked from the message — only what the client asked
    /// for (status_request, whose OCSP response on the leaf is returned) may appear.
    /// </summary>
    private (PeerCertificateChain Chain, byte[]? Ocsp) ReadChain(ReadOnlySpan<byte> body)
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
        var parsed = new ParsedCertificate?[count];
        byte[]? ocsp = null;
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        for (var i = 0; i < count; i++)
        {
            var certificate = list.ReadVector24();
            parsed[i] = ParsedCertificateCache.Find(certificate);
            der[i] = parsed[i]?.Der ?? certificate.ToArray();
            seen.Clear();
            var extensions = new ExtensionBlockReader(ExtensionBlockReader.Of(ref list), seen, "CertificateEntry");
            while (extensions.TryRead(out var type, out var extension))
            {
                if (!cx.Offered(type))
                    throw new TlsException(AlertDescription.UnsupportedExtension, $"a CertificateEntry carries {ExtensionNames.Of(type)}, which the client did not request");
                if (type == ExtensionType.StatusRequest && i == 0) ocsp = StatusRequestExtension.ReadCertificateEntry(extension);
            }
        }
        return (new PeerCertificateChain(der, parsed), ocsp);
    }

    /// <summary>The Certificate body inside a CompressedCertificate, after RFC 8879's checks, in a pooled buffer.</summary>
    private Records.RentedBytes Decompress(HandshakeMessage message)
    {
        if (!cx.Offered(ExtensionType.CompressCertificate))
            throw TlsException.Unexpected("the server sent CompressedCertificate, but the client did not offer compress_certificate");
        return CertificateCompressor.DecompressReceived(cx.Connection, message, cx.Options.CertificateCompression, cx.Options.MaxHandshakeMessageLength);
    }
}
