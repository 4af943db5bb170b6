using Tessera.Wire;

namespace Tessera.Records;

/// <summary>
/// Joins handshake fragments across records and splits coalesced messages (RFC 8446 §5.1). The declared
/// length of a message is checked against a cap before any of it is buffered.
/// </summary>
internal sealed class HandshakeReassembler : IDisposable
{
    private readonly ByteBuffer _buffer = new(1024);
    private readonly int _maxMessageLength;

    public HandshakeReassembler(int maxMessageLength) => _maxMessageLength = maxMessageLength;

    public bool IsEmpty => _buffer.IsEmpty;

    /// <summary>The type of the message being reassembled; meaningful only when not <see cref="IsEmpty"/>.</summary>
    public HandshakeType PendingType => _buffer.IsEmpty ? default : (HandshakeType)_buffer.Readable[0];

    public void Add(ReadOnlySpan<byte> fragment)
    {
        if (fragment.IsEmpty) throw TlsException.Unexpected("received a zero-length handshake fragment");
        _buffer.Append(fragment);
        if (_buffer.Length >= 4)
        {
            var declared = DeclaredLength(_buffer.Readable);
            if (declared > _maxMessageLength)
                throw TlsException.Illegal($"a {HandshakeNames.Of((HandshakeType)_buffer.Readable[0])} message of {declared} bytes exceeds the {_maxMessageLength}-byte limit");
        }
    }

    /// <summary>
    /// Takes the next complete message. A <paramref name="pooled"/> message must be <see cref="HandshakeMessage.Release"/>d
    /// once handled; the connection asks for an unpooled copy when a trace may decode it later.
    /// </summary>
    public bool TryTake(bool pooled, out HandshakeMessage? message)
    {
        message = null;
        if (_buffer.Length < 4) return false;
        var span = _buffer.Readable;
        var length = DeclaredLength(span);
        if (length > _maxMessageLength)
            throw TlsException.Illegal($"a {HandshakeNames.Of((HandshakeType)span[0])} message of {length} bytes exceeds the {_maxMessageLength}-byte limit");
        if (span.Length < 4 + length) return false;
        var framed = span[..(4 + length)];
        message = pooled ? HandshakeMessage.RentCopy((HandshakeType)span[0], framed) : new HandshakeMessage((HandshakeType)span[0], framed.ToArray());
        _buffer.Consume(4 + length);
        return true;
    }

    private static int DeclaredLength(ReadOnlySpan<byte> s) => (s[1] << 16) | (s[2] << 8) | s[3];

    /// <summary>Gives the buffer's array back to the pool when no message is partly received.</summary>
    public void Trim() => _buffer.Trim();

    public int HeldBufferBytes => _buffer.Capacity;

    public void Dispose() => _buffer.Dispose();
}
