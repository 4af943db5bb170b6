using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>A SHA-256 value as four longs, so a dictionary key made of it needs no allocation to compare or hash.</summary>
internal readonly record struct Sha256Key(long A, long B, long C, long D)
{
    public static Sha256Key Of(ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, h);
        return FromHash(h);
    }

    public static Sha256Key FromHash(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != SHA256.HashSizeInBytes) throw new ArgumentException("expected a SHA-256 value", nameof(sha256));
        return new(BitConverter.ToInt64(sha256), BitConverter.ToInt64(sha256[8..]), BitConverter.ToInt64(sha256[16..]), BitConverter.ToInt64(sha256[24..]));
    }
}
