#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>Key exchange groups (RFC 8446 §4.2.7). Values outside the enum are kept as numbers.</summary>
public enum NamedGroup : ushort
{
    Secp256r1 = 0x0017,
    Secp384r1 = 0x0018,
    Secp521r1 = 0x0019,
    X25519 = 0x001d,
    X448 = 0x001e,
    Ffdhe2048 = 0x0100,   // RFC 7919 finite-field groups: named so they can be described, never negotiated
    Ffdhe3072 = 0x0101,
    Ffdhe4096 = 0x0102,
    Ffdhe6144 = 0x0103,
    Ffdhe8192 = 0x0104,
    X25519MLKEM768 = 0x11ec,
}
