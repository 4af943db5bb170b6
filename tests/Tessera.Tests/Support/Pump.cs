using Tessera.Connection;

namespace Tessera.Tests.Support;

/// <summary>Moves bytes between two in-memory connections until both finish the handshake, one fails, or nothing moves.</summary>
internal static class Pump
{
    /// <param name="tamper">Sees (and may change) each flight: (fromClient, bytes) → bytes.</param>
    public static void Handshake(TlsConnection client, TlsConnection server, Func<bool, byte[], byte[]>? tamper = null, int maxRounds = 20)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            var moved = Move(client, server, true, tamper) | Move(server, client, false, tamper);
            if (client.IsHandshakeComplete && server.IsHandshakeComplete && !client.HasPendingOutput && !server.HasPendingOutput) return;
            if (!moved) throw new InvalidOperationException($"handshake stalled: client {client.State}, server {server.State}");
        }
        throw new InvalidOperationException("handshake did not finish in the round limit");
    }

    /// <summary>Delivers everything <paramref name="from"/> has pending to <paramref name="to"/>.</summary>
    public static bool Move(TlsConnection from, TlsConnection to, bool fromClient, Func<bool, byte[], byte[]>? tamper = null)
    {
        if (!from.HasPendingOutput) return false;
        var bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        if (tamper is not null) bytes = tamper(fromClient, bytes);
        to.ReceiveTls(bytes);
        return true;
    }

    public static byte[] Drain(TlsConnection c)
    {
        var bytes = c.PendingOutput.ToArray();
        c.ConsumeOutput(bytes.Length);
        return bytes;
    }

    public static byte[] ReadAll(TlsConnection c)
    {
        var buffer = new byte[c.AvailablePlaintext];
        var n = c.Read(buffer);
        return buffer[..n];
    }
}
