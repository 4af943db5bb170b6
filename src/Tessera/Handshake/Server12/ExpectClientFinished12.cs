using System.Security.Cryptography;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Server12;

/// <summary>Waits for the client's Finished, then answers with ChangeCipherSpec and the server's Finished.</summary>
internal sealed class ExpectClientFinished12(ServerHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for the client's Finished";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Finished, Expecting);
        var finished = Finished.Decode(message.Body, Prf12.VerifyDataLength);
        var expected = Prf12.VerifyData(cx.Suite.Hash, cx.MasterSecret, client: true, cx.Transcript.CurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, finished.VerifyData))
            throw new TlsException(AlertDescription.DecryptError, "the client's Finished does not match the handshake transcript: the handshake was altered or the keys differ");
        cx.Transcript.Add(message);

        var conn = cx.Connection;
        if (!cx.Abbreviated)
        {
            cx.SendServerFinishedFlight();
            if (cx.SessionId.Length > 0 && cx.Options.SessionIdCache is { } cache) cache.Put(cx.SessionId, cx.SessionState(), conn.Now);
        }
        var connected = new Connected12(conn, cx.Suite, cx.MasterSecret, conn.ClientRandom, cx.ServerRandom);
        conn.CompleteHandshake(connected, cx.ExtendedMasterSecret);
        cx.Dispose();
        return connected;
    }
}
