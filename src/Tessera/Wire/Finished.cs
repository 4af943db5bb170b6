namespace Tessera.Wire;

/// <summary>RFC 8446 §4.4.4 Finished: verify_data only, its length fixed by the hash.</summary>
internal sealed class Finished
{
    public required byte[] VerifyData { get; init; }

    public static Finished Decode(ReadOnlySpan<byte> body, int expectedLength)
    {
        if (body.Length != expectedLength)
            throw TlsException.DecodeError($"Finished of {body.Length} bytes; expected {expectedLength}");
        return new Finished { VerifyData = body.ToArray() };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Frame(HandshakeType.Finished, VerifyData);

    /// <summary>The received verify_data in place, after the length check <see cref="Decode"/> makes.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> body, int expectedLength)
    {
        if (body.Length != expectedLength)
            throw TlsException.DecodeError($"Finished of {body.Length} bytes; expected {expectedLength}");
        return body;
    }

    /// <summary>The framed message (header and verify_data) written into <paramref name="destination"/>; returns the written part.</summary>
    public static Span<byte> Write(ReadOnlySpan<byte> verifyData, Span<byte> destination)
    {
        var framed = destination[..(HandshakeMessage.HeaderLength + verifyData.Length)];
        framed[0] = (byte)HandshakeType.Finished;
        framed[1] = 0;
        framed[2] = (byte)(verifyData.Length >> 8);
        framed[3] = (byte)verifyData.Length;
        verifyData.CopyTo(framed[HandshakeMessage.HeaderLength..]);
        return framed;
    }
}
