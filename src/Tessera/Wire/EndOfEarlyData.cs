namespace Tessera.Wire;

/// <summary>RFC 8446 §4.5 EndOfEarlyData: an empty message.</summary>
internal static class EndOfEarlyData
{
    public static void Decode(ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty) throw TlsException.DecodeError("EndOfEarlyData must be empty");
    }

    public static HandshakeMessage Encode() => HandshakeMessage.Frame(HandshakeType.EndOfEarlyData, []);
}
