namespace Tessera.Wire;

/// <summary>
/// A complete handshake message: its type and body, and the exact bytes (header included) that go into
/// the transcript.
/// </summary>
public sealed class HandshakeMessage
{
    /// <summary>The handshake header: a 1-byte type and a 3-byte length (RFC 8446 §4).</summary>
    public const int HeaderLength = 4;

    private byte[]? _array;
    private readonly int _length;
    private readonly bool _pooled;

    /// <summary>A message from its framed bytes (<paramref name="raw"/>, header included), which it keeps without a copy.</summary>
    public HandshakeMessage(HandshakeType type, byte[] raw)
    {
        Type = type;
        _array = raw;
        _length = raw.Length;
    }

    private HandshakeMessage(HandshakeType type, byte[] rented, int length)
    {
        Type = type;
        _array = rented;
        _length = length;
        _pooled = true;
    }

    /// <summary>
    /// A received message in a pooled buffer, valid until <see cref="Release"/>: the connection dispatches each
    /// message synchronously and every decoder copies what it keeps, so the buffer goes back to the pool as soon as
    /// the state machine has handled it (issue 28: a handshake received 1.5 KB of message copies per pair).
    /// </summary>
    public static HandshakeMessage RentCopy(HandshakeType type, ReadOnlySpan<byte> framed)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(framed.Length);
        framed.CopyTo(rented);
        return new HandshakeMessage(type, rented, framed.Length);
    }

    /// <summary>The message type (the header's first byte).</summary>
    public HandshakeType Type { get; }

    /// <summary>
    /// The message as framed on the wire, header included. For a message the connection received this is a copy;
    /// code inside the library reads <see cref="Span"/>, which copies nothing.
    /// </summary>
    public byte[] Raw => _pooled ? Span.ToArray() : _array!;

    /// <summary>The message as framed on the wire, header included, without a copy.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            var array = _array ?? throw new ObjectDisposedException(nameof(HandshakeMessage), "a received handshake message was used after it was handled");
            return array.AsSpan(0, _length);
        }
    }

    /// <summary>The framed length, header included.</summary>
    public int Length => _length;

    /// <summary>The body: the framed bytes after the header.</summary>
    public ReadOnlySpan<byte> Body => Span[HeaderLength..];

    /// <summary>Returns a received message's buffer to the pool, cleared; does nothing for a message built here.</summary>
    public void Release()
    {
        if (!_pooled || _array is not { } array) return;
        _array = null;
        array.AsSpan(0, _length).Clear();
        System.Buffers.ArrayPool<byte>.Shared.Return(array);
    }

    /// <summary>Frames <paramref name="body"/> with the 4-byte handshake header.</summary>
    public static HandshakeMessage Frame(HandshakeType type, ReadOnlySpan<byte> body)
    {
        var raw = new byte[HeaderLength + body.Length];
        raw[0] = (byte)type;
        raw[1] = (byte)(body.Length >> 16);
        raw[2] = (byte)(body.Length >> 8);
        raw[3] = (byte)body.Length;
        body.CopyTo(raw.AsSpan(HeaderLength));
        return new HandshakeMessage(type, raw);
    }

    internal static HandshakeMessage Build(HandshakeType type, Action<TlsWriter> body)
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)type);
        using (w.BeginVector(3)) body(w);
        return new HandshakeMessage(type, w.ToArrayAndRelease());
    }

    /// <summary>Throws <c>unexpected_message</c> unless this message is of <paramref name="expected"/> type.</summary>
    public void Require(HandshakeType expected, string state)
    {
        if (Type != expected)
            throw TlsException.Unexpected($"received {HandshakeNames.Of(Type)} while {state}; expected {HandshakeNames.Of(expected)}");
    }
}
