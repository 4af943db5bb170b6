using System.Runtime.InteropServices;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Records;

/// <summary>
/// TlsWriter builds messages on pooled arrays (session state with a PSK among them), so every array it gives back to
/// the pool must be cleared first — including bytes past the current length that <c>Clear</c> or an outgrown buffer
/// left behind.
/// </summary>
public sealed class PooledWriterTests
{
    [Fact]
    public void Released_Buffers_Are_Cleared_Including_Bytes_Written_Before_A_Clear()
    {
        var w = new TlsWriter(256);
        w.WriteBytes(Enumerable.Repeat((byte)0xAA, 200).ToArray());
        Assert.True(MemoryMarshal.TryGetArray(w.WrittenMemory, out var segment));
        var buffer = segment.Array!;
        w.Clear();
        w.WriteBytes([1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, w.ToArrayAndRelease());
        Assert.All(buffer.AsSpan(0, 200).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void An_Outgrown_Buffer_Is_Cleared_When_It_Goes_Back_And_The_Bytes_Move_Intact()
    {
        var w = new TlsWriter(16);
        var first = Enumerable.Range(0, 16).Select(i => (byte)(i + 1)).ToArray();
        w.WriteBytes(first);
        Assert.True(MemoryMarshal.TryGetArray(w.WrittenMemory, out var segment));
        var small = segment.Array!;
        var more = Enumerable.Repeat((byte)0x55, 5000).ToArray();
        w.WriteBytes(more);   // grows: the 16-byte buffer goes back to the pool

        Assert.All(small.AsSpan(0, 16).ToArray(), b => Assert.Equal(0, b));
        var result = w.ToArrayAndRelease();
        Assert.Equal(first.Concat(more).ToArray(), result);
    }
}
