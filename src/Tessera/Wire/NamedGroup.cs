namespace Tessera.Wire;

/// <summary>Key exchange groups (RFC 8446 §4.2.7). Values outside the enum are kept as numbers.</summary>
public enum NamedGroup : ushort
{
    Secp256r1 = 0x0017,
    Secp384r1 = 0x0018,
    Secp521r1 = 0x0019,
    X25519 = 0x001d,
    X448 = 0x001e,
    Ffdhe2048 = 0x0100,
    X25519MLKEM768 = 0x11ec,
}
