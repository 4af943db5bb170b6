namespace Tessera.Wire;

/// <summary>Key exchange groups (RFC 8446 §4.2.7). Values outside the enum are kept as numbers.</summary>
public enum NamedGroup : ushort
{
    /// <summary>The secp256r1 (P-256) group (0x0017).</summary>
    Secp256r1 = 0x0017,
    /// <summary>The secp384r1 (P-384) group (0x0018).</summary>
    Secp384r1 = 0x0018,
    /// <summary>The secp521r1 (P-521) group (0x0019).</summary>
    Secp521r1 = 0x0019,
    /// <summary>The x25519 group (0x001d).</summary>
    X25519 = 0x001d,
    /// <summary>The x448 group (0x001e).</summary>
    X448 = 0x001e,
    /// <summary>The ffdhe2048 group (0x0100).</summary>
    Ffdhe2048 = 0x0100,   // RFC 7919 finite-field groups: named so they can be described, never negotiated
    /// <summary>The ffdhe3072 group (0x0101).</summary>
    Ffdhe3072 = 0x0101,
    /// <summary>The ffdhe4096 group (0x0102).</summary>
    Ffdhe4096 = 0x0102,
    /// <summary>The ffdhe6144 group (0x0103).</summary>
    Ffdhe6144 = 0x0103,
    /// <summary>The ffdhe8192 group (0x0104).</summary>
    Ffdhe8192 = 0x0104,
    /// <summary>The X25519MLKEM768 (the hybrid of ML-KEM-768 and X25519) group (0x11ec).</summary>
    X25519MLKEM768 = 0x11ec,
}
