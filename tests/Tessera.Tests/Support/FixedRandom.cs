using System.Security.Cryptography;

namespace Tessera.Tests.Support;

/// <summary>A random source that hands out a fixed byte stream, so a handshake reproduces exact bytes.</summary>
internal sealed class FixedRandom(byte[] pool) : RandomNumberGenerator
{
    private int _at;

    public int Remaining => pool.Length - _at;

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        if (_at + data.Length > pool.Length)
            throw new InvalidOperationException($"fixed random pool exhausted: wanted {data.Length}, {pool.Length - _at} left");
        pool.AsSpan(_at, data.Length).CopyTo(data);
        _at += data.Length;
    }
}
