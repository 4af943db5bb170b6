namespace Tessera.Wire;

/// <summary>psk_key_exchange_modes (RFC 8446 §4.2.9): how the client will resume (0 psk_ke, 1 psk_dhe_ke).</summary>
public static class PskKeyExchangeModesExtension
{
    /// <summary>psk_dhe_ke alone: the only mode Tessera offers.</summary>
    internal static ReadOnlySpan<byte> PskDheKe => [1];

    internal static void Write(TlsWriter w, ReadOnlySpan<byte> modes) => w.WriteVector8(modes);

    /// <summary>The body as an array, for tools and tests that assemble hellos of their own.</summary>
    public static byte[] Body(params byte[] modes) => TlsExtension.BodyOf(modes, static (w, m) => Write(w, m));

    /// <summary>The listed modes; an empty list is decode_error.</summary>
    public static byte[] Read(ReadOnlySpan<byte> body) => ReadInPlace(body).ToArray();

    /// <summary>The modes as a slice of the body.</summary>
    internal static ReadOnlySpan<byte> ReadInPlace(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var m = r.ReadVector8();
        r.ExpectEnd("psk_key_exchange_modes");
        if (m.IsEmpty) throw TlsException.DecodeError("psk_key_exchange_modes is empty");
        return m;
    }
}
