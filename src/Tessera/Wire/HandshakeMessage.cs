#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>
/// A complete handshake message: its type and body, and the exact bytes (header included) that go into
/// the transcript.
/// </summary>
public sealed class HandshakeMessage
{
    public const int HeaderLength = 4;

    public HandshakeMessage(HandshakeType type, byte[] raw)
    {
        Type = type;
        Raw = raw;
    }

    public HandshakeType Type { get; }

    /// <summary>The message as framed on the wire, header included.</summary>
    public byte[] Raw { get; }

    public ReadOnlySpan<byte> Body => Raw.AsSpan(HeaderLength);

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

    public static HandshakeMessage Build(HandshakeType type, Action<TlsWriter> body)
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
