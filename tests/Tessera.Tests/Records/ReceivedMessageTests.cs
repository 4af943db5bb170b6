using Tessera.Records;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Records;

/// <summary>
/// Received handshake messages live in pooled buffers while the state machine handles them. These tests pin what that
/// promises: the bytes are the message's, a caller of <c>Raw</c> gets its own copy, the buffer is cleared on release,
/// and a message used after release fails loudly instead of reading another connection's bytes.
/// </summary>
public sealed class ReceivedMessageTests
{
    private static readonly byte[] Finished = [20, 0, 0, 4, 0xDE, 0xAD, 0xBE, 0xEF];

    [Fact]
    public void A_Pooled_Message_Carries_The_Framed_Bytes_And_Hands_Out_Copies()
    {
        using var reassembler = new HandshakeReassembler(1024);
        reassembler.Add(Finished.AsSpan(0, 3));
        Assert.False(reassembler.TryTake(pooled: true, out _));
        reassembler.Add(Finished.AsSpan(3));
        Assert.True(reassembler.TryTake(pooled: true, out var message));

        Assert.Equal(HandshakeType.Finished, message!.Type);
        Assert.Equal(Finished, message.Span.ToArray());
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, message.Body.ToArray());
        Assert.Equal(8, message.Length);
        var copy = message.Raw;
        copy[4] = 0;
        Assert.Equal(0xDE, message.Span[4]);
        message.Release();
        Assert.Throws<ObjectDisposedException>(() => message.Span.Length);
        Assert.True(reassembler.IsEmpty);
    }

    [Fact]
    public void Release_Clears_The_Pooled_Bytes()
    {
        var message = HandshakeMessage.RentCopy(HandshakeType.Finished, Finished);
        var array = GetBacking(message);
        message.Release();
        Assert.All(array.AsSpan(0, Finished.Length).ToArray(), b => Assert.Equal(0, b));
        message.Release();   // a second release is harmless: the array went back once
    }

    [Fact]
    public void A_Built_Message_Is_Not_Released()
    {
        var message = HandshakeMessage.Frame(HandshakeType.Finished, Finished.AsSpan(4));
        message.Release();
        Assert.Equal(Finished, message.Raw);
        Assert.Same(message.Raw, message.Raw);
    }

    // The pooled array behind a message, read through the field the type keeps it in.
    private static byte[] GetBacking(HandshakeMessage message) =>
        (byte[])typeof(HandshakeMessage).GetField("_array", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(message)!;
}
