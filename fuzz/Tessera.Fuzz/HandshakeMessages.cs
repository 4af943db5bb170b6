using Tessera.Records;
using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>The whole handshake messages in a run of handshake bytes, split by the library's own reassembler.</summary>
internal static class HandshakeMessages
{
    /// <summary>A 24-bit length never exceeds this, so the reassembler's size limit never fires on harness input.</summary>
    private const int AnyLength = 1 << 24;

    /// <summary>Every complete message at the start of <paramref name="bytes"/>; a trailing partial one is left out.</summary>
    public static List<HandshakeMessage> In(ReadOnlySpan<byte> bytes)
    {
        var messages = new List<HandshakeMessage>();
        if (bytes.IsEmpty) return messages;
        using var reassembler = new HandshakeReassembler(AnyLength);
        reassembler.Add(bytes);
        while (reassembler.TryTake(pooled: false, out var message)) messages.Add(message!);
        return messages;
    }
}
