using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// Every primitive the protocol needs, behind one object: key exchange per named group, the record AEADs, HKDF, HMAC
/// and hashes. A connection uses the provider in its options (<see cref="Connection.TlsOptions.CryptoProvider"/>), or
/// the process default (<see cref="Default"/>); this is the spirit of rustls' <c>CryptoProvider</c>. Certificate and
/// CertificateVerify signatures stay with <see cref="TlsSigningKey"/> and the verifier, whose keys are loaded once
/// per credential and per certificate.
/// </summary>
public abstract class CryptoProvider
{
    /// <summary>The environment variable that forces the process default: <c>native</c> or <c>portable</c>.</summary>
    public const string EnvironmentVariable = "TESSERA_CRYPTO_PROVIDER";

    private static CryptoProvider? _default;

    /// <summary>A short name for logs and traces ("native", "portable").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// .NET's <c>System.Security.Cryptography</c> (AEADs, HKDF, HMAC, hashes, NIST curves) and BouncyCastle's
    /// X25519, X448 and ML-KEM: the same code on every OS.
    /// </summary>
    public static CryptoProvider Portable => PortableCryptoProvider.Instance;

    /// <summary>
    /// OpenSSL 3's libcrypto called directly (source-generated P/Invoke) for the primitives where that is faster than
    /// .NET's wrappers, the portable code for the rest. Throws <see cref="PlatformNotSupportedException"/>, saying why,
    /// where libcrypto 3 does not load (see <see cref="IsNativeAvailable"/>).
    /// </summary>
    public static CryptoProvider Native => Tessera.Crypto.Native.NativeCryptoProvider.IsAvailable
        ? Tessera.Crypto.Native.NativeCryptoProvider.Instance
        : throw new PlatformNotSupportedException($"the native crypto provider is unavailable: {Tessera.Crypto.Native.NativeCryptoProvider.WhyUnavailable}");

    /// <summary>Whether <see cref="Native"/> can be used in this process.</summary>
    public static bool IsNativeAvailable => Tessera.Crypto.Native.NativeCryptoProvider.IsAvailable;

    /// <summary>
    /// The provider of options that name none. Chosen once: <see cref="EnvironmentVariable"/> when set, otherwise
    /// <see cref="Native"/> where it is available and <see cref="Portable"/> elsewhere. Setting it changes the choice
    /// for connections created afterwards.
    /// </summary>
    public static CryptoProvider Default
    {
        get => _default ??= FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable));
        set => _default = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The provider an environment variable's value names; unset or empty gives the automatic choice. Naming
    /// <c>native</c> where it is unavailable is an error rather than a silent fallback: whoever forces it wants it.
    /// </summary>
    public static CryptoProvider FromEnvironment(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => IsNativeAvailable ? Native : Portable,
        "native" => Native,
        "portable" => Portable,
        _ => throw new InvalidOperationException($"{EnvironmentVariable}={value}: the providers are 'native' and 'portable'"),
    };

    /// <summary>Whether <see cref="GenerateKeyExchange"/> can make a key for <paramref name="group"/>.</summary>
    public abstract bool SupportsGroup(NamedGroup group);

    /// <summary>An ephemeral key pair (or a KEM's client half) for one handshake, from <paramref name="random"/> (null: the OS generator).</summary>
    public abstract KeyExchange GenerateKeyExchange(NamedGroup group, RandomNumberGenerator? random);

    /// <summary>
    /// A TLS 1.3 server's answer to a client's share: a key pair of its own and the agreement for a Diffie-Hellman
    /// group, the encapsulation for a KEM. A hostile share is <c>illegal_parameter</c>.
    /// </summary>
    public virtual KeyShareAnswer AnswerKeyShare(NamedGroup group, ReadOnlySpan<byte> clientShare, RandomNumberGenerator? random)
    {
        if (group == NamedGroup.X25519MLKEM768) return X25519MlKem768KeyExchange.Encapsulate(clientShare, random, this);
        using var kx = GenerateKeyExchange(group, random);
        return new KeyShareAnswer(kx.PublicKey, kx.DeriveSharedSecret(clientShare));
    }

    /// <summary>One record key of <paramref name="algorithm"/>, kept for the life of a traffic key.</summary>
    public abstract RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key);

    /// <summary>
    /// One record key used in one direction only — a TLS traffic key only ever seals (<paramref name="sealing"/>) or
    /// only opens — so a provider may key just that direction at once and keep no copy of the key. The AEAD may refuse
    /// the other direction. By default, <see cref="CreateAead(AeadAlgorithm, ReadOnlySpan{byte})"/>.
    /// </summary>
    public virtual RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, bool sealing) => CreateAead(algorithm, key);

    /// <summary>HKDF-Extract (RFC 5869 §2.2) into <paramref name="prk"/> (the hash's length).</summary>
    public abstract void HkdfExtract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk);

    /// <summary>HKDF-Expand (RFC 5869 §2.3) filling <paramref name="output"/>.</summary>
    public abstract void HkdfExpand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output);

    /// <summary>HMAC of <paramref name="data"/> under <paramref name="key"/> into <paramref name="output"/> (the hash's length).</summary>
    public abstract void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output);

    /// <summary>The digest of <paramref name="data"/> into <paramref name="output"/> (the hash's length).</summary>
    public abstract void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> output);

    /// <summary>
    /// A signature by <paramref name="key"/> under <paramref name="scheme"/> over <paramref name="data"/> (the bytes
    /// RFC 8446 §4.4.3 or RFC 5246 §7.4.3 define). By default the key signs itself; a provider may sign with its own
    /// implementation of a key it can read (the native provider does for ECDSA keys). Keys held elsewhere (an HSM, a
    /// remote signer) always sign themselves.
    /// </summary>
    public virtual byte[] Sign(TlsSigningKey key, SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(scheme, data);
    }

    /// <summary>An ECDSA (DER) signature check with an imported public key; false for a wrong or malformed signature.</summary>
    internal virtual bool VerifyEcdsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash) =>
        key.VerifyEcdsa(data, signature, hash);

    /// <summary>
    /// A running transcript hash for a handshake (RFC 8446 §4.4.1). By default .NET's incremental hash; a provider may
    /// keep the state in its own library.
    /// </summary>
    public virtual TranscriptHash CreateTranscriptHash(HashAlgorithmName hash) => new PortableTranscriptHash(hash);

    /// <summary>An RSA signature check (PKCS#1 v1.5, or PSS with MGF1 and salt of the hash's length); false for a wrong or malformed signature.</summary>
    internal virtual bool VerifyRsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme) =>
        key.VerifyRsa(data, signature, SignatureSchemes.HashOf(scheme),
            SignatureSchemes.IsPss(scheme) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);

    /// <summary>A pure Ed25519 signature check (RFC 8032); false for a wrong or malformed signature.</summary>
    internal virtual bool VerifyEd25519(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        key.VerifyEd25519(data, signature);

    /// <inheritdoc />
    public override string ToString() => Name;
}
