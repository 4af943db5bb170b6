#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>RFC 8446 §4.5 EndOfEarlyData: an empty message.</summary>
public static class EndOfEarlyData
{
    public static void Decode(ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty) throw TlsException.DecodeError("EndOfEarlyData must be empty");
    }

    public static HandshakeMessage Encode() => HandshakeMessage.Frame(HandshakeType.EndOfEarlyData, []);
}
