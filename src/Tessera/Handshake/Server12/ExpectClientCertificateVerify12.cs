using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Handshake.Server12;

/// <summary>Waits for the client's CertificateVerify (RFC 5246 §7.4.8): a signature over every handshake message so far.</summary>
internal sealed class ExpectClientCertificateVerify12(ServerHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for the client's CertificateVerify";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.CertificateVerify, Expecting);
        var cv = CertificateVerifyView.Read(message.Body);
        if (!cx.RequestedSchemes.Contains(cv.Scheme))
            throw TlsException.Illegal($"the client signed with {TlsNames.Of(cv.Scheme)}, which the server did not ask for");
        var leaf = cx.ClientChain!.LeafKey();
        if (!SignatureVerifier.Verify(cv.Scheme, leaf, cx.Transcript.Messages, cv.Signature, ProtocolVersion.Tls12, cx.Connection.CryptoProvider))
            throw new TlsException(AlertDescription.DecryptError, $"the client's CertificateVerify does not verify with the key of '{leaf.Owner}'");
        cx.Connection.PeerSignatureScheme = cv.Scheme;
        cx.Transcript.Add(message);
        return new ExpectClientChangeCipherSpec(cx);
    }
}
