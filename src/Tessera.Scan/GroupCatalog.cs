using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>The groups a scan asks about, one at a time, for TLS 1.3 (key share) and TLS 1.2 (ECDHE curve).</summary>
internal static class GroupCatalog
{
    public static readonly IReadOnlyList<GroupInfo> All =
    [
        new((ushort)NamedGroup.X25519MLKEM768, "X25519MLKEM768", 192, false, false, IsPostQuantum: true),
        new((ushort)NamedGroup.X25519, "x25519", 128, false, true),
        new((ushort)NamedGroup.X448, "x448", 224, false, true),
        new((ushort)NamedGroup.Secp256r1, "secp256r1", 128, false, true),
        new((ushort)NamedGroup.Secp384r1, "secp384r1", 192, false, true),
        new((ushort)NamedGroup.Secp521r1, "secp521r1", 260, false, true),
        new(0x0016, "secp256k1", 128, false, true),
        new(0x0015, "secp224r1", 112, false, true),
        new(0x0013, "secp192r1", 80, false, true),
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

    /// <summary>What a version or suite probe offers: the common groups, so any ECDHE server finds one it has.</summary>
    public static readonly IReadOnlyList<ushort> DefaultOffer =
    [
        (ushort)NamedGroup.X25519, (ushort)NamedGroup.Secp256r1, (ushort)NamedGroup.Secp384r1, (ushort)NamedGroup.Secp521r1,
        (ushort)NamedGroup.X448, 0x0016, 0x0015, 0x001a, 0x001b, 0x001c, (ushort)NamedGroup.X25519MLKEM768,
        (ushort)NamedGroup.Ffdhe2048, (ushort)NamedGroup.Ffdhe3072, (ushort)NamedGroup.Ffdhe4096, (ushort)NamedGroup.Ffdhe6144, (ushort)NamedGroup.Ffdhe8192,
    ];

    public static GroupInfo? Find(ushort id)
    {
        foreach (var g in All)
            if (g.Id == id) return g;
        return null;
    }

    public static string NameOf(ushort id) => Find(id)?.Name ?? $"0x{id:x4}";
}
