using System.Security.Cryptography;

namespace Tessera.Fuzz;

/// <summary>
/// A deterministic random source (a counter, never exhausted), so a connection fed the same input takes the same path
/// and a crash found by afl-fuzz reproduces. Fuzzing needs repeatability, not secrecy. Two sides of one session start
/// their counters apart so their randoms and keys differ.
/// </summary>
internal sealed class FixedEntropy(byte start = 1) : RandomNumberGenerator
{
    private byte _next = start;

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++) data[i] = _next++;
    }
}
