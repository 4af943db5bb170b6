using Tessera.Certificates;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>Waits for the server's Certificate (RFC 5246 §7.4.2) and has the verifier judge the chain.</summary>
internal sealed class ExpectCertificate12(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for the server's Certificate";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Certificate, Expecting);
        var cm = Certificate12.Decode(message.Body);
        if (cm.Entries.Count == 0) throw TlsException.DecodeError("the server sent an empty Certificate message");
        var chain = PeerCertificateChain.From(cm);
        cx.Connection.PeerCertificates = chain;
        // RFC 5246 §7.4.2: the key type must fit the suite (ECDSA/Ed25519 for ECDHE_ECDSA, RSA for ECDHE_RSA).
        var leaf = chain.LeafKey();
        if (SuiteAuthentications.OfKey(leaf.Algorithm) != cx.Suite.Authentication)
            throw new TlsException(AlertDescription.UnsupportedCertificate,
                $"the server's certificate has a {KeyDescription.Of(chain[0])} key, which cannot authenticate {cx.Suite.Name}");
        // Used for the ServerKeyExchange signature, which is only read after the chain has been verified.
        cx.PeerLeaf = leaf;
        cx.Transcript.Add(message);
        if (cx.StapleMayFollow)
        {
            // Verification waits for the CertificateStatus that may follow, so the staple can be checked with the chain.
            cx.PendingChain = chain;
            return new ExpectCertificateStatus(cx);
        }
        Verify(cx, chain, null);
        return new ExpectServerKeyExchange(cx);
    }

    internal static void Verify(ClientHandshake12 cx, PeerCertificateChain chain, byte[]? ocsp)
    {
        cx.Options.ResolveVerifier().Verify(new CertificateVerificationRequest(
            chain, cx.ServerName, CertificatePurpose.ServerAuthentication, cx.Connection.Now, ocsp));
    }
}
