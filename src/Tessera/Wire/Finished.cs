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
}
