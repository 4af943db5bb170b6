using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// The primitives of a handshake and of bulk data under each crypto provider: X25519 and P-256 ECDH (a key pair and
/// one agreement, what one side of a handshake pays; and the agreement alone, which is what `openssl speed` times),
/// ECDSA P-256 sign and verify of a CertificateVerify-sized message (hashing included; `openssl speed` signs a bare
/// digest, so its figure leaves the hash out, about 1 µs here), HKDF-Expand-Label of a 32-byte secret (a TLS 1.3 handshake does
/// about twenty), HMAC-SHA256 of 32 bytes (Finished, binders), Ed25519 and RSA-2048 PSS sign and verify (the other certificate key types), and AES-128-GCM sealing 16 KiB (one full record) and 64 bytes (a small record, where per-call overhead shows).
/// `bench/primitives.sh` puts `openssl speed` beside these for the same operations.
/// </summary>
[MemoryDiagnoser]
public class CryptoPrimitiveBenchmarks
{
    [Params("native", "portable")]
    public string Provider { get; set; } = "native";

    private CryptoProvider _crypto = null!;
    private byte[] _x25519Peer = null!;
    private byte[] _p256Peer = null!;
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _context = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _output = new byte[32];
    private readonly byte[] _record = new byte[16384];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _header = [23, 3, 3, 0x40, 0x11];
    private RecordAead _aead = null!;
    private KeyExchange _x25519 = null!;
    private KeyExchange _p256 = null!;
    private TlsSigningKey _signer = null!;
    private VerificationKey _verifier = null!;
    private byte[] _signature = null!;
    private TlsSigningKey _edSigner = null!;
    private VerificationKey _edVerifier = null!;
    private byte[] _edSignature = null!;
    private TlsSigningKey _rsaSigner = null!;
    private VerificationKey _rsaVerifier = null!;
    private byte[] _rsaSignature = null!;
    private readonly byte[] _signed = RandomNumberGenerator.GetBytes(130);   // the size of a TLS 1.3 CertificateVerify content

    [GlobalSetup]
    public void Setup()
    {
        _crypto = CryptoProvider.FromEnvironment(Provider);
        using (var peer = _crypto.GenerateKeyExchange(NamedGroup.X25519, null)) _x25519Peer = peer.PublicKey;
        using (var peer = _crypto.GenerateKeyExchange(NamedGroup.Secp256r1, null)) _p256Peer = peer.PublicKey;
        _aead = _crypto.CreateAead(AeadAlgorithm.Aes128Gcm, RandomNumberGenerator.GetBytes(16));
        _x25519 = _crypto.GenerateKeyExchange(NamedGroup.X25519, null);
        _p256 = _crypto.GenerateKeyExchange(NamedGroup.Secp256r1, null);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signer = TlsSigningKey.FromEcdsa(ECDsa.Create(ecdsa.ExportParameters(true)));
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        _verifier = VerificationKey.Import(spki, Sha256Key.Of(spki));
        _signature = _crypto.Sign(_signer, SignatureScheme.EcdsaSecp256r1Sha256, _signed);

        var seed = RandomNumberGenerator.GetBytes(32);
        _edSigner = TlsSigningKey.FromEd25519Seed(seed);
        byte[] edSpki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
            .. new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded()];
        _edVerifier = VerificationKey.Import(edSpki, Sha256Key.Of(edSpki));
        _edSignature = _crypto.Sign(_edSigner, SignatureScheme.Ed25519, _signed);

        using var rsa = RSA.Create(2048);
        _rsaSigner = TlsSigningKey.FromRsa(RSA.Create(rsa.ExportParameters(true)));
        var rsaSpki = rsa.ExportSubjectPublicKeyInfo();
        _rsaVerifier = VerificationKey.Import(rsaSpki, Sha256Key.Of(rsaSpki));
        _rsaSignature = _crypto.Sign(_rsaSigner, SignatureScheme.RsaPssRsaeSha256, _signed);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aead.Dispose();
        _x25519.Dispose();
        _p256.Dispose();
        _signer.Dispose();
        _verifier.Dispose();
        _edSigner.Dispose();
        _edVerifier.Dispose();
        _rsaSigner.Dispose();
        _rsaVerifier.Dispose();
    }

    [Benchmark(Description = "X25519 key pair + agreement")]
    public byte[] X25519()
    {
        using var kx = _crypto.GenerateKeyExchange(NamedGroup.X25519, null);
        return kx.DeriveSharedSecret(_x25519Peer);
    }

    [Benchmark(Description = "X25519 agreement alone")]
    public byte[] X25519Agreement() => _x25519.DeriveSharedSecret(_x25519Peer);

    [Benchmark(Description = "P-256 ECDH key pair + agreement")]
    public byte[] P256()
    {
        using var kx = _crypto.GenerateKeyExchange(NamedGroup.Secp256r1, null);
        return kx.DeriveSharedSecret(_p256Peer);
    }

    [Benchmark(Description = "P-256 ECDH agreement alone")]
    public byte[] P256Agreement() => _p256.DeriveSharedSecret(_p256Peer);

    [Benchmark(Description = "ECDSA P-256 sign")]
    public byte[] EcdsaSign() => _crypto.Sign(_signer, SignatureScheme.EcdsaSecp256r1Sha256, _signed);

    [Benchmark(Description = "ECDSA P-256 verify")]
    public bool EcdsaVerify() => _crypto.VerifyEcdsa(_verifier, _signed, _signature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "Ed25519 sign")]
    public byte[] Ed25519Sign() => _crypto.Sign(_edSigner, SignatureScheme.Ed25519, _signed);

    [Benchmark(Description = "Ed25519 verify")]
    public bool Ed25519Verify() => _crypto.VerifyEd25519(_edVerifier, _signed, _edSignature);

    [Benchmark(Description = "RSA-2048 PSS sign")]
    public byte[] RsaSign() => _crypto.Sign(_rsaSigner, SignatureScheme.RsaPssRsaeSha256, _signed);

    [Benchmark(Description = "RSA-2048 PSS verify")]
    public bool RsaVerify() => _crypto.VerifyRsa(_rsaVerifier, _signed, _rsaSignature, SignatureScheme.RsaPssRsaeSha256);

    [Benchmark(Description = "HKDF-Expand-Label 32 B")]
    public byte[] ExpandLabel()
    {
        Hkdf13.ExpandLabel(HashAlgorithmName.SHA256, _secret, "c hs traffic", _context, _output, _crypto);
        return _output;
    }

    [Benchmark(Description = "HMAC-SHA256 32 B")]
    public byte[] Hmac()
    {
        _crypto.Hmac(HashAlgorithmName.SHA256, _secret, _context, _output);
        return _output;
    }

    [Benchmark(Description = "AES-128-GCM seal 16 KiB")]
    public byte[] Aes128Gcm16K()
    {
        // The same nonce every call: this measures the cipher, it protects nothing.
        _aead.Seal(_nonce, _record, _record, _tag, _header);
        return _tag;
    }

    [Benchmark(Description = "AES-128-GCM seal 64 B")]
    public byte[] Aes128GcmSmall()
    {
        // A small record (an HTTP/2 frame, a handshake message): what the per-call overhead costs.
        _aead.Seal(_nonce, _record.AsSpan(0, 64), _record.AsSpan(0, 64), _tag, _header);
        return _tag;
    }
}
