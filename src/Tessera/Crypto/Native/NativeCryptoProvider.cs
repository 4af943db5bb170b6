using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto.Native;

/// <summary>
/// The native provider: OpenSSL 3's libcrypto called directly where that beats going through .NET's wrappers, and
/// the portable implementation for the rest (stated per primitive in <see cref="Routes"/>). Available where
/// libcrypto.so.3 loads and reports version 3.x (Linux; the library .NET itself uses there).
/// </summary>
internal sealed class NativeCryptoProvider : CryptoProvider
{
    public static readonly NativeCryptoProvider Instance = new();
    private static readonly Lazy<string?> Unavailability = new(Probe);
    private static readonly CryptoProvider Fallback = PortableCryptoProvider.Instance;

    private NativeCryptoProvider()
    {
    }

    public override string Name => "native";

    /// <summary>What runs where: native primitives by name; everything else is the portable provider's.</summary>
    public static string Routes => "X25519 (also the X25519 half of X25519MLKEM768), P-256/P-384/P-521 ECDHE, ECDSA and RSA (rsaEncryption keys) sign and verify, Ed25519 sign, AES-GCM and ChaCha20-Poly1305 records, HMAC, HKDF and the transcript hash via libcrypto; X448, ML-KEM, Ed25519 checks (BouncyCastle's are faster), RSASSA-PSS-keyed checks, one-shot hashes and TLS 1.2's PRF as portable";

    /// <summary>Whether libcrypto 3 loads here.</summary>
    public static bool IsAvailable => Unavailability.Value is null;

    /// <summary>Why the provider cannot be used here, or null when it can.</summary>
    public static string? WhyUnavailable => Unavailability.Value;

    public override bool SupportsGroup(NamedGroup group) => Fallback.SupportsGroup(group);

    public override KeyExchange GenerateKeyExchange(NamedGroup group, RandomNumberGenerator? random) => group switch
    {
        NamedGroup.X25519 => NativeX25519KeyExchange.Create(random),
        NamedGroup.X25519MLKEM768 => X25519MlKem768KeyExchange.Create(random, this),
        NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 => NativeEcdhKeyExchange.Create(group, random),
        _ => Fallback.GenerateKeyExchange(group, random),
    };

    public override RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => new NativeRecordAead(algorithm, key);

    /// <inheritdoc/>
    public override RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, bool sealing) => new NativeRecordAead(algorithm, key, sealing);

    public override void HkdfExtract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk) =>
        NativeHmac.Extract(hash, salt, ikm, prk);

    public override void HkdfExpand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output) =>
        NativeHmac.Expand(hash, prk, info, output);

    public override void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output) =>
        NativeHmac.Compute(hash, key, data, [], [], output);

    public override void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> output) => Fallback.Hash(hash, data, output);

    public override TranscriptHash CreateTranscriptHash(HashAlgorithmName hash) => NativeTranscriptHash.Create(hash);

    /// <summary>
    /// ECDSA, RSA and Ed25519 keys sign through libcrypto, imported once per key object; other keys (an HSM, a remote
    /// signer) and keys that will not export sign themselves.
    /// </summary>
    public override byte[] Sign(TlsSigningKey key, SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        if (key is RsaSigningKey rsa)
        {
            rsa.Require(scheme);
            var rsaKey = OtherSigningKeys.GetValue(rsa, static k => new ImportedOther(k is RsaSigningKey r && r.TryExportPkcs1() is { } der ? ImportClearing(der, static d => NativeSignatureKey.RsaPrivate(d)) : null)).Key;
            return rsaKey is null ? base.Sign(key, scheme, data) : rsaKey.Sign(scheme, data);
        }
        if (key is Ed25519SigningKey ed25519)
        {
            ed25519.Require(scheme);
            var edKey = OtherSigningKeys.GetValue(ed25519, static k => new ImportedOther(ImportClearing(((Ed25519SigningKey)k).ExportSeed(), static d => NativeSignatureKey.Ed25519Private(d)))).Key!;
            return edKey.Sign(scheme, data);
        }
        if (key is not EcdsaSigningKey ecdsa) return base.Sign(key, scheme, data);
        ecdsa.Require(scheme);
        var native = SigningKeys.GetValue(ecdsa, static k => new Imported(k.TryExportPrivate() is { } p ? Import(p) : null)).Key;
        if (native is null) return base.Sign(key, scheme, data);
        Span<byte> digest = stackalloc byte[MaxDigest];
        var length = DigestLength(SignatureSchemes.HashOf(scheme));
        Hash(SignatureSchemes.HashOf(scheme), data, digest[..length]);
        return native.Sign(digest[..length]);
    }

    internal override bool VerifyEcdsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        var native = VerificationKeys.GetValue(key, static k => new Imported(k.EcdsaPublicParameters() is { } p ? Import(p) : null)).Key;
        if (native is null) return base.VerifyEcdsa(key, data, signature, hash);
        Span<byte> digest = stackalloc byte[MaxDigest];
        var length = DigestLength(hash);
        Hash(hash, data, digest[..length]);
        return native.Verify(digest[..length], signature);
    }

    internal override bool VerifyRsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme)
    {
        // rsaEncryption keys only: an RSASSA-PSS key (with its parameters) stays with .NET.
        var native = OtherVerificationKeys.GetValue(key, static k => new ImportedOther(k.RsaEncryptionPublicKeyInfo() is { } spki ? NativeSignatureKey.RsaPublic(spki) : null)).Key;
        return native is null ? base.VerifyRsa(key, data, signature, scheme) : native.Verify(scheme, data, signature);
    }

    // Ed25519 checks stay with the portable code on purpose: libcrypto 3.0's Ed25519 verify is plain C and measured
    // 102 µs through this provider against BouncyCastle's 62 µs (CryptoPrimitiveBenchmarks, 2026-12-03; openssl speed
    // gave 73–97 µs across runs). Signing is at parity or better here (29.7 µs against 29.1–34.2) and allocates
    // 112 B instead of 2.4 KB, so it is native.

    private static readonly ConditionalWeakTable<TlsSigningKey, ImportedOther> OtherSigningKeys = new();
    private static readonly ConditionalWeakTable<VerificationKey, ImportedOther> OtherVerificationKeys = new();

    private sealed record ImportedOther(NativeSignatureKey? Key);

    /// <summary>Imports a private key from bytes exported for the purpose, then clears them whatever happens.</summary>
    private static NativeSignatureKey ImportClearing(byte[] secret, Func<byte[], NativeSignatureKey> import)
    {
        try
        {
            return import(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private const int MaxDigest = 64;

    /// <summary>
    /// The native form of each key object, made on first use and kept as long as the key object lives (a
    /// <see cref="ConditionalWeakTable{TKey,TValue}"/> entry goes with its key; the handle's finalizer frees it).
    /// </summary>
    private static readonly ConditionalWeakTable<EcdsaSigningKey, Imported> SigningKeys = new();
    private static readonly ConditionalWeakTable<VerificationKey, Imported> VerificationKeys = new();

    private sealed record Imported(NativeEcdsaKey? Key);

    private static NativeEcdsaKey? Import(ECParameters parameters)
    {
        try
        {
            return NativeEcdsaKey.Import(parameters);
        }
        finally
        {
            if (parameters.D is { } d) CryptographicOperations.ZeroMemory(d);
        }
    }

    private static int DigestLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64
        : throw TlsException.Internal($"no digest length for {hash.Name}");

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "libcrypto is bound by its Linux soname (libcrypto.so.3)";
        if (!NativeLibrary.TryLoad(LibCrypto.Library, out _)) return $"{LibCrypto.Library} does not load";
        try
        {
            var version = LibCrypto.OpenSSL_version_num();
            if (version >> 28 != 3) return $"libcrypto reports version 0x{version:x}, not 3.x";
            using var probe = NativeX25519KeyExchange.Create(null);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TlsException)
        {
            return $"libcrypto 3 could not be used: {e.Message}";
        }
    }
}
