#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// One ephemeral key exchange for one handshake: an (EC)DHE key pair, or the client's half of a KEM
/// (X25519MLKEM768). The private key comes from the injected random source, so RFC 8448 traces replay exactly.
/// The side that answers a share already received (a TLS 1.3 server) uses <see cref="Answer"/>, which for a KEM
/// encapsulates rather than generating a key pair of its own.
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
        group is NamedGroup.X25519 or NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 or NamedGroup.X448
            or NamedGroup.X25519MLKEM768;

    /// <summary>
    /// Whether TLS 1.2 ECDHE can use the group. The hybrid KEM cannot: TLS 1.2's ServerKeyExchange is sent before the
    /// client's share, so there is nothing to encapsulate to (draft-ietf-tls-ecdhe-mlkem: TLS 1.3 only).
    /// </summary>
    public static bool IsUsableInTls12(NamedGroup group) => IsSupported(group) && group != NamedGroup.X25519MLKEM768;

    /// <summary>
    /// The server's answer to a client's share in TLS 1.3: a fresh key pair and the agreement for a Diffie-Hellman
    /// group, the encapsulation for a KEM. A hostile share is <c>illegal_parameter</c>.
    /// </summary>
    public static KeyShareAnswer Answer(NamedGroup group, ReadOnlySpan<byte> clientShare, RandomNumberGenerator? random)
    {
        if (group == NamedGroup.X25519MLKEM768) return X25519MlKem768KeyExchange.Encapsulate(clientShare, random);
        using var kx = Generate(group, random);
        return new KeyShareAnswer(kx.PublicKey, kx.DeriveSharedSecret(clientShare));
    }

    public static KeyExchange Generate(NamedGroup group, RandomNumberGenerator? random) => group switch
    {
        NamedGroup.X25519 => MontgomeryKeyExchange.CreateX25519(random),
        NamedGroup.Secp256r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.Secp384r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.Secp521r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.X448 => MontgomeryKeyExchange.CreateX448(random),
        NamedGroup.X25519MLKEM768 => X25519MlKem768KeyExchange.Create(random),
        _ => throw new ArgumentException($"group {GroupNames.Of(group)} is not supported", nameof(group)),
    };
}
