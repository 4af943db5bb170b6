using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// What a negotiable suite means: the protocol version it belongs to, its AEAD and key length, its
/// transcript/HKDF/PRF hash and, for TLS 1.2, which certificate key type authenticates the ECDHE exchange.
/// </summary>
internal sealed class CipherSuiteInfo
{
    private CipherSuiteInfo(CipherSuite suite, ProtocolVersion version, SuiteAuthentication authentication, AeadAlgorithm aead, int keyLength, HashAlgorithmName hash, int hashLength)
    {
        Suite = suite;
        Version = version;
        Authentication = authentication;
        Aead = aead;
        KeyLength = keyLength;
        Hash = hash;
        HashLength = hashLength;
    }

    public CipherSuite Suite { get; }
    public ProtocolVersion Version { get; }
    public SuiteAuthentication Authentication { get; }
    public AeadAlgorithm Aead { get; }
    public int KeyLength { get; }
    public int IvLength => 12;
    public int TagLength => 16;
    public HashAlgorithmName Hash { get; }
    public int HashLength { get; }
    public string Name => TlsNames.Of(Suite);
    public bool IsTls13 => Version == ProtocolVersion.Tls13;

    /// <summary>TLS 1.2 key-block IV length: the 4-byte GCM salt (RFC 5288 §3) or the whole 12-byte ChaCha20 IV (RFC 7905 §2).</summary>
    public int Tls12FixedIvLength => Aead == AeadAlgorithm.ChaCha20Poly1305 ? 12 : 4;

    /// <summary>TLS 1.2 explicit per-record nonce: 8 bytes for GCM, none for ChaCha20-Poly1305.</summary>
    public int Tls12ExplicitNonceLength => Aead == AeadAlgorithm.ChaCha20Poly1305 ? 0 : 8;

    public static readonly CipherSuiteInfo Aes128GcmSha256 = Tls13(CipherSuite.TlsAes128GcmSha256, AeadAlgorithm.Aes128Gcm, 16, HashAlgorithmName.SHA256, 32);
    public static readonly CipherSuiteInfo Aes256GcmSha384 = Tls13(CipherSuite.TlsAes256GcmSha384, AeadAlgorithm.Aes256Gcm, 32, HashAlgorithmName.SHA384, 48);
    public static readonly CipherSuiteInfo ChaCha20Poly1305Sha256 = Tls13(CipherSuite.TlsChaCha20Poly1305Sha256, AeadAlgorithm.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256, 32);

    public static readonly CipherSuiteInfo EcdheEcdsaAes128GcmSha256 = Tls12(CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256, SuiteAuthentication.Ecdsa, AeadAlgorithm.Aes128Gcm, 16, HashAlgorithmName.SHA256, 32);
    public static readonly CipherSuiteInfo EcdheEcdsaAes256GcmSha384 = Tls12(CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, SuiteAuthentication.Ecdsa, AeadAlgorithm.Aes256Gcm, 32, HashAlgorithmName.SHA384, 48);
    public static readonly CipherSuiteInfo EcdheEcdsaChaCha20Poly1305Sha256 = Tls12(CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256, SuiteAuthentication.Ecdsa, AeadAlgorithm.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256, 32);
    public static readonly CipherSuiteInfo EcdheRsaAes128GcmSha256 = Tls12(CipherSuite.TlsEcdheRsaWithAes128GcmSha256, SuiteAuthentication.Rsa, AeadAlgorithm.Aes128Gcm, 16, HashAlgorithmName.SHA256, 32);
    public static readonly CipherSuiteInfo EcdheRsaAes256GcmSha384 = Tls12(CipherSuite.TlsEcdheRsaWithAes256GcmSha384, SuiteAuthentication.Rsa, AeadAlgorithm.Aes256Gcm, 32, HashAlgorithmName.SHA384, 48);
    public static readonly CipherSuiteInfo EcdheRsaChaCha20Poly1305Sha256 = Tls12(CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256, SuiteAuthentication.Rsa, AeadAlgorithm.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256, 32);

    /// <summary>Every suite Tessera implements, in its default order of preference.</summary>
    public static IReadOnlyList<CipherSuite> Defaults { get; } =
    [
        CipherSuite.TlsAes128GcmSha256,
        CipherSuite.TlsAes256GcmSha384,
        CipherSuite.TlsChaCha20Poly1305Sha256,
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256,
        CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384,
        CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256,
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256,
        CipherSuite.TlsEcdheRsaWithAes256GcmSha384,
        CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256,
    ];

    public static CipherSuiteInfo? Find(ushort suite) => (CipherSuite)suite switch
    {
        CipherSuite.TlsAes128GcmSha256 => Aes128GcmSha256,
        CipherSuite.TlsAes256GcmSha384 => Aes256GcmSha384,
        CipherSuite.TlsChaCha20Poly1305Sha256 => ChaCha20Poly1305Sha256,
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 => EcdheEcdsaAes128GcmSha256,
        CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 => EcdheEcdsaAes256GcmSha384,
        CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256 => EcdheEcdsaChaCha20Poly1305Sha256,
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256 => EcdheRsaAes128GcmSha256,
        CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => EcdheRsaAes256GcmSha384,
        CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256 => EcdheRsaChaCha20Poly1305Sha256,
        _ => null,
    };

    /// <summary>The suite if it is one Tessera implements for <paramref name="version"/>.</summary>
    public static CipherSuiteInfo? Find(ushort suite, ProtocolVersion version) => Find(suite) is { } s && s.Version == version ? s : null;

    public static CipherSuiteInfo Get(CipherSuite suite) =>
        Find((ushort)suite) ?? throw new ArgumentException($"{TlsNames.Of(suite)} is not a suite Tessera implements", nameof(suite));

    /// <summary>
    /// Records that may be protected under one key before it must be updated (RFC 8446 §5.5). AES-GCM is
    /// limited to 2^24.5 full-size records; Tessera rekeys at 2^24 to keep a margin. ChaCha20-Poly1305's
    /// limit is beyond a 64-bit sequence number, so only the sequence-number wrap applies. TLS 1.2 has no
    /// key update (and Tessera refuses renegotiation), so its keys run to the sequence-number limit.
    /// </summary>
    public ulong RecordLimitPerKey => Aead == AeadAlgorithm.ChaCha20Poly1305 || !IsTls13 ? ulong.MaxValue - 1 : 1UL << 24;

    private static CipherSuiteInfo Tls13(CipherSuite suite, AeadAlgorithm aead, int keyLength, HashAlgorithmName hash, int hashLength) =>
        new(suite, ProtocolVersion.Tls13, SuiteAuthentication.Any, aead, keyLength, hash, hashLength);

    private static CipherSuiteInfo Tls12(CipherSuite suite, SuiteAuthentication authentication, AeadAlgorithm aead, int keyLength, HashAlgorithmName hash, int hashLength) =>
        new(suite, ProtocolVersion.Tls12, authentication, aead, keyLength, hash, hashLength);
}
