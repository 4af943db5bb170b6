using System.Security.Cryptography;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>Waits for the server's Finished (RFC 5246 §7.4.9): proof that both sides saw the same handshake and hold the same keys.</summary>
internal sealed class ExpectServerFinished12(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for the server's Finished";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Finished, Expecting);
        var finished = Finished.Decode(message.Body, Prf12.VerifyDataLength);
        var expected = Prf12.VerifyData(cx.Suite.Hash, cx.MasterSecret, client: false, cx.Transcript.CurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, finished.VerifyData))
            throw new TlsException(AlertDescription.DecryptError, "the server's Finished does not match the handshake transcript: the handshake was altered or the keys differ");
        cx.Transcript.Add(message);
        var conn = cx.Connection;
        if (cx.Resumed)
        {
            // Abbreviated handshake: the client answers the server's Finished with its own.
            conn.SendChangeCipherSpec();
            conn.SetWriteKeys12(cx.Suite, cx.Keys!.ClientKey, cx.Keys.ClientIv, "client keys");
            var clientFinished = new Finished { VerifyData = Prf12.VerifyData(cx.Suite.Hash, cx.MasterSecret, client: true, cx.Transcript.CurrentHash()) }.Encode();
            cx.Transcript.Add(clientFinished);
            conn.SendHandshake(clientFinished);
        }
        cx.StoreSession();
        var connected = new Connected12(conn, cx.Suite, cx.MasterSecret, conn.ClientRandom, cx.ServerRandom);
        conn.CompleteHandshake(connected, cx.ExtendedMasterSecret);
        cx.Dispose();
        return connected;
    }
}
