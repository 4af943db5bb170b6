#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// One ephemeral (EC)DHE key pair for one handshake. The private key comes from the injected random
/// source, so RFC 8448 traces replay exactly.
/// </summary>
public abstract class KeyExchange : IDisposable
{
    public abstract NamedGroup Group { get; }

    /// <summary>The key_exchange bytes for the KeyShareEntry.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret with the peer's share. An invalid share (wrong length, point not on the curve,
    /// all-zero X25519 output) is <c>illegal_parameter</c> (RFC 8446 §4.2.8.1, §7.4.2).
    /// </summary>
    public abstract byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);

    public abstract void Dispose();

    public static bool IsSupported(NamedGroup group) =>
        group is NamedGroup.X25519 or NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 or NamedGroup.X448;

    public static KeyExchange Generate(NamedGroup group, RandomNumberGenerator? random) => group switch
    {
        NamedGroup.X25519 => MontgomeryKeyExchange.CreateX25519(random),
        NamedGroup.Secp256r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.Secp384r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.Secp521r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.X448 => MontgomeryKeyExchange.CreateX448(random),
        _ => throw new ArgumentException($"group {GroupNames.Of(group)} is not supported", nameof(group)),
    };
}
