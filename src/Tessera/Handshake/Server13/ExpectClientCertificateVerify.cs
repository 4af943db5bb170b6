using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>Waits for the client's CertificateVerify: the client proves it holds its certificate's key.</summary>
internal sealed class ExpectClientCertificateVerify(ServerHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the client's CertificateVerify";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.CertificateVerify, Expecting);
        var cv = CertificateVerifyView.Read(message.Body);
        if (!cx.RequestedSchemes.Contains(cv.Scheme) || !SignatureSchemes.IsUsableInTls13(cv.Scheme))
            throw TlsException.Illegal($"the client signed with {TlsNames.Of(cv.Scheme)}, which the server did not ask for");
        var leaf = cx.ClientChain!.LeafKey();
        var content = CertificateVerifyContent.Build(server: false, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]),
            stackalloc byte[CertificateVerifyContent.MaxLength]);
        if (!SignatureVerifier.Verify(cv.Scheme, leaf, content, cv.Signature, ProtocolVersion.Tls13, cx.Connection.CryptoProvider))
            throw new TlsException(AlertDescription.DecryptError, $"the client's CertificateVerify does not verify with the key of '{leaf.Owner}'");
        cx.Connection.PeerSignatureScheme = cv.Scheme;
        cx.Transcript.Add(message);
        return new ExpectClientFinished(cx, keys);
    }
}
