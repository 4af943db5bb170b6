using Tessera.Wire;

namespace Tessera.Handshake.Server12;

/// <summary>Waits for the client's ChangeCipherSpec, after which its records are protected.</summary>
internal sealed class ExpectClientChangeCipherSpec(ServerHandshake12 cx) : IExpectChangeCipherSpec
{
    public string Expecting => "waiting for the client's ChangeCipherSpec";

    public IHandshakeState Handle(HandshakeMessage message) =>
        throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} before the client's ChangeCipherSpec");

    public IHandshakeState OnChangeCipherSpec()
    {
        cx.Connection.SetReadKeys12(cx.Suite, cx.Keys!.ClientKey, cx.Keys.ClientIv, "client keys");
        return new ExpectClientFinished12(cx);
    }
}
