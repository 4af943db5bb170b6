using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>
/// Waits for ServerKeyExchange (RFC 8422 §5.4): the server's ephemeral ECDHE key, signed with its certificate
/// key over both randoms, which is what proves the server holds that key in TLS 1.2.
/// </summary>
internal sealed class ExpectServerKeyExchange(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for ServerKeyExchange";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.ServerKeyExchange, Expecting);
        var ske = ServerKeyExchangeEcdhe.Decode(message.Body);
        if (!cx.Options.Groups.Contains(ske.Group) || !KeyExchange.IsUsableInTls12(ske.Group))
            throw TlsException.Illegal($"the server chose group {TlsNames.Of(ske.Group)}, which the client did not offer");
        if (!cx.Options.SignatureSchemes.Contains(ske.Scheme) || !SignatureSchemes.IsUsableInTls12(ske.Scheme))
            throw TlsException.Illegal($"the server signed its key exchange with {TlsNames.Of(ske.Scheme)}, which the client did not offer");
        if (SuiteAuthentications.Of(ske.Scheme) != cx.Suite.Authentication)
            throw TlsException.Illegal($"the server signed with {TlsNames.Of(ske.Scheme)}, which does not fit {cx.Suite.Name}");

        var content = ServerKeyExchangeEcdhe.SignedContent(cx.ClientRandom, cx.ServerRandom, ske.Params);
        if (!SignatureVerifier.Verify(ske.Scheme, cx.PeerLeaf!.Value, content, ske.Signature, ProtocolVersion.Tls12, cx.Connection.CryptoProvider))
            throw new TlsException(AlertDescription.DecryptError,
                $"the server's ServerKeyExchange signature ({TlsNames.Of(ske.Scheme)}) does not verify with the key of '{cx.PeerLeaf!.Value.Owner}'");

        using (var kx = cx.Connection.CryptoProvider.GenerateKeyExchange(ske.Group, cx.Options.Random))
        {
            cx.PreMasterSecret = kx.DeriveSharedSecret(ske.PublicKey);   // validates the server's point
            cx.ClientPublicKey = kx.PublicKey;
        }
        cx.Connection.NegotiatedGroup(ske.Group);
        cx.Connection.PeerSignatureScheme = ske.Scheme;
        cx.Transcript.Add(message);
        return new ExpectCertificateRequestOrDone(cx);
    }
}
