using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>Waits for the server's ChangeCipherSpec, after which its records are protected.</summary>
internal sealed class ExpectServerChangeCipherSpec(ClientHandshake12 cx) : IExpectChangeCipherSpec
{
    public string Expecting => "waiting for the server's ChangeCipherSpec";

    public IHandshakeState Handle(HandshakeMessage message) =>
        throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} before the server's ChangeCipherSpec");

    public IHandshakeState OnChangeCipherSpec()
    {
        cx.Connection.SetReadKeys12(cx.Suite, cx.Keys!.ServerKey, cx.Keys.ServerIv, "server keys");
        return new ExpectServerFinished12(cx);
    }
}
