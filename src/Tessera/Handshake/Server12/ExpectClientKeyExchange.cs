using Tessera.Wire;

namespace Tessera.Handshake.Server12;

/// <summary>Waits for ClientKeyExchange (RFC 8422 §5.7): the client's ephemeral key completes ECDHE and fixes the master secret.</summary>
internal sealed class ExpectClientKeyExchange(ServerHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for ClientKeyExchange";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.ClientKeyExchange, Expecting);
        var cke = ClientKeyExchangeEcdhe.Decode(message.Body);
        var preMaster = cx.Ephemeral!.DeriveSharedSecret(cke.PublicKey);   // validates the client's point
        cx.Ephemeral.Dispose();
        cx.Transcript.Add(message);
        cx.EstablishKeys(preMaster);
        return cx.ClientChain is null ? new ExpectClientChangeCipherSpec(cx) : new ExpectClientCertificateVerify12(cx);
    }
}
