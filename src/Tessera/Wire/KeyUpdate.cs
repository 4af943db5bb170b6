namespace Tessera.Wire;

/// <summary>RFC 8446 §4.6.3 KeyUpdate.</summary>
internal sealed class KeyUpdate
{
    public required bool UpdateRequested { get; init; }

    public static KeyUpdate Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt8();
        r.ExpectEnd("KeyUpdate");
        if (v > 1) throw TlsException.Illegal($"KeyUpdate request_update value {v} is neither 0 nor 1");
        return new KeyUpdate { UpdateRequested = v == 1 };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Frame(HandshakeType.KeyUpdate, [UpdateRequested ? (byte)1 : (byte)0]);
}
