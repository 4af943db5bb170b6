using Tessera.Crypto;
using Tessera.Records;
using Tessera.Wire;

namespace Tessera.Tests.Support;

/// <summary>
/// Opens a protected handshake flight with its traffic secret, lets a test rewrite the handshake messages
/// (reorder, duplicate, drop, corrupt), and seals the result again under the same key, so the peer sees
/// hostile messages that still pass record authentication.
/// </summary>
internal static class FlightRewriter
{
    public static byte[] Rewrite(byte[] wire, CipherSuiteInfo suite, byte[] secret, Func<List<byte[]>, List<byte[]>> mutate)
    {
        // Plaintext records (ServerHello, CCS) pass through; protected ones are opened until the flight's Finished.
        // What follows it is under the next key (a server's tickets sent with its first flight) and is kept as is.
        var passthrough = new List<byte>();
        var plaintext = new List<byte>();
        var trailer = new List<byte>();
        using var open = new Tls13RecordProtection(suite, secret);
        for (var at = 0; at < wire.Length;)
        {
            var length = (wire[at + 3] << 8) | wire[at + 4];
            var record = wire.AsSpan(at, 5 + length).ToArray();
            at += 5 + length;
            if (ContainsFinished(plaintext)) { trailer.AddRange(record); continue; }
            if (record[0] != (byte)ContentType.ApplicationData) { passthrough.AddRange(record); continue; }
            var (type, _, n) = open.Open(record.AsSpan(0, 5), record.AsSpan(5));
            if (type != ContentType.Handshake) throw new InvalidOperationException("expected a handshake flight");
            plaintext.AddRange(record.AsSpan(5, n).ToArray());
        }
        var messages = new List<byte[]>();
        var all = plaintext.ToArray();
        for (var at = 0; at < all.Length;)
        {
            var len = (all[at + 1] << 16) | (all[at + 2] << 8) | all[at + 3];
            messages.Add(all.AsSpan(at, 4 + len).ToArray());
            at += 4 + len;
        }
        var body = mutate(messages).SelectMany(m => m).ToArray();
        using var seal = new Tls13RecordProtection(suite, secret);
        var output = new byte[body.Length + 64 + body.Length / 16000 * 32];
        var written = 0;
        for (var at = 0; at < body.Length; at += 16000)
        {
            var chunk = body.AsSpan(at, Math.Min(16000, body.Length - at));
            written += seal.Seal(ContentType.Handshake, chunk, output.AsSpan(written));
        }
        return [.. passthrough, .. output.AsSpan(0, written).ToArray(), .. trailer];
    }

    private static bool ContainsFinished(List<byte> plaintext)
    {
        for (var at = 0; at + 4 <= plaintext.Count;)
        {
            if (plaintext[at] == (byte)HandshakeType.Finished) return true;
            at += 4 + ((plaintext[at + 1] << 16) | (plaintext[at + 2] << 8) | plaintext[at + 3]);
        }
        return false;
    }

    public static int IndexOf(List<byte[]> messages, HandshakeType type) => messages.FindIndex(m => m[0] == (byte)type);
}
