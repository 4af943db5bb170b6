using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>
/// The one place randomness is drawn. Options carry an optional <see cref="RandomNumberGenerator"/> so
/// tests can inject a fixed stream and reproduce exact bytes; by default the OS generator is used.
/// </summary>
internal static class TlsRandom
{
    public static void Fill(RandomNumberGenerator? rng, Span<byte> destination)
    {
        if (rng is null) RandomNumberGenerator.Fill(destination);
        else rng.GetBytes(destination);
    }

    public static byte[] Bytes(RandomNumberGenerator? rng, int count)
    {
        var b = new byte[count];
        Fill(rng, b);
        return b;
    }
}
