using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// One imported public key, ready to verify signatures. Importing a key through OpenSSL costs about as much as a
/// verification, so <see cref="VerificationKeyCache"/> keeps these per SubjectPublicKeyInfo. An instance is used by one
/// thread at a time (the cache lends it out); .NET does not promise that its key objects are thread-safe.
/// </summary>
internal sealed class VerificationKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly Ed25519PublicKeyParameters? _ed25519;

    private VerificationKey(Sha256Key id, string algorithm, string description, int keySize,
        ECDsa? ecdsa = null, string? curve = null, RSA? rsa = null, Ed25519PublicKeyParameters? ed25519 = null)
    {
        Id = id;
        Algorithm = algorithm;
        Description = description;
        KeySize = keySize;
        _ecdsa = ecdsa;
        Curve = curve;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo this key was imported from.</summary>
    public Sha256Key Id { get; }

    /// <summary>The SubjectPublicKeyInfo algorithm OID (<see cref="KeyOids"/>).</summary>
    public string Algorithm { get; }

    /// <summary>"ECDSA P-256", "RSA 2048", "RSA-PSS 2048", "Ed25519".</summary>
    public string Description { get; }

    public int KeySize { get; }

    /// <summary>The named curve's OID for an EC key (<see cref="CurveOids"/>), else null.</summary>
    public string? Curve { get; }

    /// <summary>
    /// An ECDSA key with its named curve, read once: TLS 1.3 binds each ECDSA scheme to one curve, and a size alone does
    /// not name it (secp256k1 is 256 bits too).
    /// </summary>
    private static VerificationKey ForEcdsa(Sha256Key id, ECDsa ecdsa)
    {
        var curve = KeyDescription.CurveOf(ecdsa);
        return new(id, KeyOids.EcPublicKey, KeyDescription.Ecdsa(curve, ecdsa.KeySize), ecdsa.KeySize, ecdsa, curve);
    }

    /// <summary>Imports a DER SubjectPublicKeyInfo; malformed or unsupported keys are bad_certificate / unsupported_certificate.</summary>
    public static VerificationKey Import(ReadOnlySpan<byte> spki, Sha256Key id)
    {
        string oid;
        byte[] keyBits;
        try
        {
            var reader = new AsnReader(spki.ToArray(), AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = info.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            keyBits = info.ReadBitString(out var unused);
            if (unused != 0) throw new AsnContentException("the public key has unused bits");
        }
        catch (AsnContentException e)
        {
            throw new TlsException(AlertDescription.BadCertificate, $"the certificate's public key is malformed: {e.Message}", false, e);
        }

        try
        {
            switch (oid)
            {
                case KeyOids.EcPublicKey:
                {
                    var ec = ECDsa.Create();
                    ec.ImportSubjectPublicKeyInfo(spki, out _);
                    return ForEcdsa(id, ec);
                }
                case KeyOids.RsaEncryption:
                {
                    var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return new(id, oid, $"RSA {rsa.KeySize}", rsa.KeySize, rsa: rsa);
                }
                case KeyOids.RsaSsaPss:
                {
                    // .NET does not open id-RSASSA-PSS SubjectPublicKeyInfo; the key bits are a plain RSAPublicKey.
                    var rsa = RSA.Create();
                    rsa.ImportRSAPublicKey(keyBits, out _);
                    return new(id, oid, $"RSA-PSS {rsa.KeySize}", rsa.KeySize, rsa: rsa);
                }
                case KeyOids.Ed25519:
                    if (keyBits.Length != Ed25519PublicKeyParameters.KeySize)
                        throw new TlsException(AlertDescription.BadCertificate, $"an Ed25519 public key must be {Ed25519PublicKeyParameters.KeySize} bytes, not {keyBits.Length}");
                    return new(id, oid, "Ed25519", 256, ed25519: new Ed25519PublicKeyParameters(keyBits));
                default:
                    return new(id, oid, new System.Security.Cryptography.Oid(oid).FriendlyName ?? oid, 0);
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            // PlatformNotSupportedException: found by fuzzing, an EC key on a curve OpenSSL does not know.
            throw new TlsException(AlertDescription.BadCertificate, $"the certificate's public key cannot be imported: {e.Message}", false, e);
        }
    }

    /// <summary>
    /// The key of a certificate .NET has already loaded (a trust anchor): taking it from the loaded certificate costs
    /// well under a microsecond, where importing the SubjectPublicKeyInfo costs ≈ 90 µs. Other key types import.
    /// </summary>
    public static VerificationKey FromLoaded(X509Certificate2 certificate, ReadOnlySpan<byte> spki, Sha256Key id)
    {
        try
        {
            switch (certificate.PublicKey.Oid.Value)
            {
                case KeyOids.EcPublicKey when certificate.GetECDsaPublicKey() is { } ec:
                    return ForEcdsa(id, ec);
                case KeyOids.RsaEncryption when certificate.GetRSAPublicKey() is { } rsa:
                    return new(id, KeyOids.RsaEncryption, $"RSA {rsa.KeySize}", rsa.KeySize, rsa: rsa);
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            // Found by fuzzing: a key .NET loads with the certificate but OpenSSL refuses to import (a point off the
            // curve, a malformed modulus) throws here, not when the certificate is loaded.
            throw new TlsException(AlertDescription.BadCertificate, $"the certificate's public key is malformed: {e.Message}", false, e);
        }
        return Import(spki, id);
    }

    /// <summary>ECDSA with a DER (RFC 3279) signature; false when this is not an EC key.</summary>
    public bool VerifyEcdsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash) =>
        _ecdsa is not null && _ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>The public point and curve of an ECDSA key, for a provider that verifies with its own implementation; null for other keys.</summary>
    public ECParameters? EcdsaPublicParameters() => _ecdsa?.ExportParameters(includePrivateParameters: false);

    /// <summary>The SubjectPublicKeyInfo of an rsaEncryption key, for a provider that verifies with its own implementation; null for other keys.</summary>
    public byte[]? RsaEncryptionPublicKeyInfo() =>
        _rsa is not null && Algorithm == KeyOids.RsaEncryption ? _rsa.ExportSubjectPublicKeyInfo() : null;

    /// <summary>RSA PKCS#1 v1.5 or PSS (MGF1 with the same hash, salt = hash length); false when this is not an RSA key.</summary>
    public bool VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding) =>
        _rsa is not null && _rsa.VerifyData(data, signature, hash, padding);

    /// <summary>Pure Ed25519 (RFC 8032); false when this is not an Ed25519 key or the signature has the wrong size.</summary>
    public bool VerifyEd25519(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (_ed25519 is null || signature.Length != Ed25519PrivateKeyParameters.SignatureSize) return false;
        var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        verifier.Init(false, _ed25519);
        verifier.BlockUpdate(data);
        return verifier.VerifySignature(signature.ToArray());
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
