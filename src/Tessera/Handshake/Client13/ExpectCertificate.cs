using Tessera.Certificates;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>Waits for the server's Certificate (RFC 8446 §4.4.2) and has the verifier judge the chain.</summary>
internal sealed class ExpectCertificate(ClientHandshake13 cx) : IHandshakeState
{
    public string Expecting => "waiting for the server's Certificate";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Certificate, Expecting);
        var cm = CertificateMessage.Decode(message.Body);
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
                    ocsp = ExtensionCodec.ReadOcspResponseFromCertificateEntry(e.Body);
            }
        }
        var chain = PeerCertificateChain.From(cm);
        cx.Connection.PeerCertificates = chain;
        cx.Options.ResolveVerifier().Verify(new CertificateVerificationRequest(
            chain, cx.ServerName, CertificatePurpose.ServerAuthentication, cx.Connection.Now, ocsp));
        cx.PeerLeaf = chain.LeafKey();
        cx.Transcript.Add(message);
        return new ExpectCertificateVerify(cx);
    }
}
