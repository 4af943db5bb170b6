using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// After accepting 0-RTT: application data under the client's early keys, then EndOfEarlyData (RFC 8446 §4.5),
/// after which the client's handshake keys apply and its Finished follows.
/// </summary>
internal sealed class ExpectEndOfEarlyData(ServerHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState, IAcceptsEarlyData
{
    public string Expecting => "reading early data (waiting for EndOfEarlyData)";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.EndOfEarlyData, Expecting);
        EndOfEarlyData.Decode(message.Body);
        cx.Transcript.Add(message);
        cx.Connection.SetReadKeys(keys.Suite, keys.ClientHandshakeSecret, "client handshake keys");
        return new ExpectClientFinished(cx, keys);
    }
}
