using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// Waits for CertificateVerify (RFC 8446 §4.4.3): the server signs the transcript, proving it holds the
/// certificate's private key.
/// </summary>
internal sealed class ExpectCertificateVerify(ClientHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the server's CertificateVerify";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.CertificateVerify, Expecting);
        var cv = CertificateVerifyView.Read(message.Body);
        if (!cx.Options.SignatureSchemes.Contains(cv.Scheme) || !SignatureSchemes.IsUsableInTls13(cv.Scheme))
            throw TlsException.Illegal($"the server signed with {TlsNames.Of(cv.Scheme)}, which the client did not offer");
        var content = CertificateVerifyContent.Build(server: true, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]),
            stackalloc byte[CertificateVerifyContent.MaxLength]);
        if (!SignatureVerifier.Verify(cv.Scheme, cx.PeerLeaf!.Value, content, cv.Signature, ProtocolVersion.Tls13, cx.Connection.CryptoProvider))
            throw new TlsException(AlertDescription.DecryptError,
                $"the server's CertificateVerify signature ({TlsNames.Of(cv.Scheme)}) does not verify with the key of '{cx.PeerLeaf!.Value.Owner}'");
        cx.Connection.PeerSignatureScheme = cv.Scheme;
        cx.Transcript.Add(message);
        return new ExpectFinished(cx, keys);
    }
}
