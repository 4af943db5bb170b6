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
    /// <summary>The group this exchange is in (the KeyShareEntry's group).</summary>
    public abstract NamedGroup Group { get; }

    /// <summary>The key_exchange bytes for the KeyShareEntry.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret with the peer's share. An invalid share (wrong length, point not on the curve,
    /// all-zero X25519 output) is <c>illegal_parameter</c> (RFC 8446 §4.2.8.1, §7.4.2).
    /// </summary>
    public abstract byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);

    /// <summary>Zeroes and releases the private key.</summary>
    public abstract void Dispose();

    /// <summary>Whether the process default provider supports <paramref name="group"/>.</summary>
    public static bool IsSupported(NamedGroup group) => CryptoProvider.Default.SupportsGroup(group);

    /// <summary>
    /// Whether TLS 1.2 ECDHE can use the group. The hybrid KEM cannot: TLS 1.2's ServerKeyExchange is sent before the
    /// client's share, so there is nothing to encapsulate to (draft-ietf-tls-ecdhe-mlkem: TLS 1.3 only).
    /// </summary>
    public static bool IsUsableInTls12(NamedGroup group) => IsSupported(group) && group != NamedGroup.X25519MLKEM768;

    /// <summary>The server's answer to a client's share in TLS 1.3, from the process default provider (<see cref="CryptoProvider.AnswerKeyShare"/>).</summary>
    public static KeyShareAnswer Answer(NamedGroup group, ReadOnlySpan<byte> clientShare, RandomNumberGenerator? random) =>
        CryptoProvider.Default.AnswerKeyShare(group, clientShare, random);

    /// <summary>A key pair for <paramref name="group"/> from the process default provider.</summary>
    public static KeyExchange Generate(NamedGroup group, RandomNumberGenerator? random) => CryptoProvider.Default.GenerateKeyExchange(group, random);
}
