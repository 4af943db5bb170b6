namespace Tessera.Wire;

/// <summary>
/// The TLS Supported Groups registry as Tessera knows it: one row per group, with both names, for every place that
/// names a group (traces, errors, the name parser, the scanner, which asks about each of them).
/// </summary>
public static class NamedGroupRegistry
{
    /// <summary>Every row, in the order a scanner asks about them.</summary>
    public static readonly IReadOnlyList<NamedGroupEntry> All =
    [
        new((ushort)NamedGroup.X25519MLKEM768, "X25519MLKEM768", 192, false, false, IsPostQuantum: true) { Aliases = ["x25519mlkem768", "mlkem768"] },
        new((ushort)NamedGroup.X25519, "x25519", 128, false, true) { OpenSslName = "X25519" },
        new((ushort)NamedGroup.X448, "x448", 224, false, true) { OpenSslName = "X448" },
        new((ushort)NamedGroup.Secp256r1, "secp256r1", 128, false, true) { OpenSslName = "prime256v1", Aliases = ["p256", "p-256"] },
        new((ushort)NamedGroup.Secp384r1, "secp384r1", 192, false, true) { Aliases = ["p384", "p-384"] },
        new((ushort)NamedGroup.Secp521r1, "secp521r1", 260, false, true) { Aliases = ["p521", "p-521"] },
        new(0x0016, "secp256k1", 128, false, true),
        new(0x0015, "secp224r1", 112, false, true),
        new(0x0013, "secp192r1", 80, false, true) { OpenSslName = "prime192v1" },
        new(0x001a, "brainpoolP256r1", 128, false, true),
        new(0x001b, "brainpoolP384r1", 192, false, true),
        new(0x001c, "brainpoolP512r1", 256, false, true),
        new(0x001f, "brainpoolP256r1tls13", 128, false, false),
        new(0x0020, "brainpoolP384r1tls13", 192, false, false),
        new(0x0021, "brainpoolP512r1tls13", 256, false, false),
        new((ushort)NamedGroup.Ffdhe2048, "ffdhe2048", 112, true, false),
        new((ushort)NamedGroup.Ffdhe3072, "ffdhe3072", 128, true, false),
        new((ushort)NamedGroup.Ffdhe4096, "ffdhe4096", 150, true, false),
        new((ushort)NamedGroup.Ffdhe6144, "ffdhe6144", 175, true, false),
        new((ushort)NamedGroup.Ffdhe8192, "ffdhe8192", 192, true, false),
    ];

    /// <summary>The row of group <paramref name="id"/>, or null for one the registry does not list.</summary>
    public static NamedGroupEntry? Find(ushort id)
    {
        foreach (var g in All)
            if (g.Id == id) return g;
        return null;
    }

    /// <summary>
    /// The IANA name of group <paramref name="id"/>; an unlisted RFC 7919 number as ffdhe(0x…), GREASE (RFC 8701) as
    /// GREASE(0x…), anything else as group(0x…), so a peer's unknown offer is still shown.
    /// </summary>
    public static string NameOf(ushort id) => Find(id)?.Name ?? (
        id is >= 0x0100 and <= 0x01ff ? $"ffdhe(0x{id:x4})"
        : ExtensionNames.IsGrease(id) ? $"GREASE(0x{id:x4})"
        : $"group(0x{id:x4})");
}
