using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>What a negotiated suite means: its AEAD, key length and transcript/HKDF hash.</summary>
public sealed class CipherSuiteInfo
{
    private CipherSuiteInfo(CipherSuite suite, AeadAlgorithm aead, int keyLength, HashAlgorithmName hash, int hashLength)
    {
        Suite = suite;
        Aead = aead;
        KeyLength = keyLength;
        Hash = hash;
        HashLength = hashLength;
    }

    public CipherSuite Suite { get; }
    public AeadAlgorithm Aead { get; }
    public int KeyLength { get; }
    public int IvLength => 12;
    public int TagLength => 16;
    public HashAlgorithmName Hash { get; }
    public int HashLength { get; }
    public string Name => GroupNames.Of(Suite);

    public static readonly CipherSuiteInfo Aes128GcmSha256 = new(CipherSuite.TlsAes128GcmSha256, AeadAlgorithm.Aes128Gcm, 16, HashAlgorithmName.SHA256, 32);
    public static readonly CipherSuiteInfo Aes256GcmSha384 = new(CipherSuite.TlsAes256GcmSha384, AeadAlgorithm.Aes256Gcm, 32, HashAlgorithmName.SHA384, 48);
    public static readonly CipherSuiteInfo ChaCha20Poly1305Sha256 = new(CipherSuite.TlsChaCha20Poly1305Sha256, AeadAlgorithm.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256, 32);

    public static CipherSuiteInfo? Find(ushort suite) => (CipherSuite)suite switch
    {
        CipherSuite.TlsAes128GcmSha256 => Aes128GcmSha256,
        CipherSuite.TlsAes256GcmSha384 => Aes256GcmSha384,
        CipherSuite.TlsChaCha20Poly1305Sha256 => ChaCha20Poly1305Sha256,
        _ => null,
    };

    public static CipherSuiteInfo Get(CipherSuite suite) =>
        Find((ushort)suite) ?? throw new ArgumentException($"{GroupNames.Of(suite)} is not a TLS 1.3 suite Tessera implements", nameof(suite));

    /// <summary>
    /// Records that may be protected under one key before it must be updated (RFC 8446 §5.5). AES-GCM is
    /// limited to 2^24.5 full-size records; Tessera rekeys at 2^24 to keep a margin. ChaCha20-Poly1305's
    /// limit is beyond a 64-bit sequence number, so only the sequence-number wrap applies.
    /// </summary>
    public ulong RecordLimitPerKey => Aead == AeadAlgorithm.ChaCha20Poly1305 ? ulong.MaxValue - 1 : 1UL << 24;
}
