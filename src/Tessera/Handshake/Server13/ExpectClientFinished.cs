using System.Security.Cryptography;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>Waits for the client's Finished, which authenticates the whole handshake from the client's side.</summary>
internal sealed class ExpectClientFinished(ServerHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the client's Finished";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Finished, Expecting);
        var verifyData = Finished.Read(message.Body, keys.Suite.HashLength);
        Span<byte> expected = stackalloc byte[keys.Suite.HashLength];
        KeySchedule13.ComputeFinished(keys.Suite.Hash, keys.ClientHandshakeSecret, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), expected, cx.Connection.CryptoProvider);
        if (!CryptographicOperations.FixedTimeEquals(expected, verifyData))
            throw new TlsException(AlertDescription.DecryptError, "the client's Finished does not match the handshake transcript: the handshake was altered or the keys differ");
        cx.Transcript.Add(message);
        return cx.Complete(keys);
    }
}
