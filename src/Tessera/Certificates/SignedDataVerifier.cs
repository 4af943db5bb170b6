using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// Checks an X.509-style signature (certificate, CRL, OCSP response) made by an issuer's key, by the algorithm
/// identifier the signed object names. MD5 and SHA-1 are refused outright.
/// </summary>
internal static class SignedDataVerifier
{
    /// <summary>
    /// Returns whether the signature verifies. Throws when the algorithm is refused or unknown, with
    /// <paramref name="what"/> naming the signed object for the message.
    /// </summary>
    public static bool Verify(string algorithm, ReadOnlyMemory<byte>? parameters, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature,
        ParsedCertificate issuer, string what)
    {
        switch (algorithm)
        {
            case Oids.Md5WithRsa:
            case Oids.Sha1WithRsa:
            case Oids.EcdsaWithSha1:
                throw new TlsException(AlertDescription.BadCertificate,
                    $"{what} is signed with {(algorithm == Oids.Md5WithRsa ? "MD5" : "SHA-1")}, which Tessera refuses (collisions are practical)");
            case Oids.Sha256WithRsa:
            case Oids.Sha384WithRsa:
            case Oids.Sha512WithRsa:
            {
                using var rsa = RsaKey(issuer);
                if (rsa is null) return false;
                var hash = algorithm switch { Oids.Sha256WithRsa => HashAlgorithmName.SHA256, Oids.Sha384WithRsa => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
            }
            case Oids.RsaSsaPss:
            {
                using var rsa = RsaKey(issuer);
                if (rsa is null) return false;
                var hash = PssHash(parameters, what);
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss);
            }
            case Oids.EcdsaWithSha256:
            case Oids.EcdsaWithSha384:
            case Oids.EcdsaWithSha512:
            {
                if (issuer.PublicKeyAlgorithm != KeyOids.EcPublicKey) return false;
                using var ec = issuer.Certificate.GetECDsaPublicKey();
                if (ec is null) return false;
                var hash = algorithm switch { Oids.EcdsaWithSha256 => HashAlgorithmName.SHA256, Oids.EcdsaWithSha384 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                return ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }
            case Oids.Ed25519:
            {
                if (issuer.PublicKeyAlgorithm != KeyOids.Ed25519) return false;
                var raw = issuer.Certificate.PublicKey.EncodedKeyValue.RawData;
                if (raw.Length != Ed25519PublicKeyParameters.KeySize || signature.Length != Ed25519PrivateKeyParameters.SignatureSize) return false;
                var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(raw));
                verifier.BlockUpdate(data);
                return verifier.VerifySignature(signature.ToArray());
            }
            default:
                throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} is signed with an algorithm Tessera does not support ({algorithm})");
        }
    }

    private static RSA? RsaKey(ParsedCertificate issuer)
    {
        if (issuer.PublicKeyAlgorithm == KeyOids.RsaEncryption) return issuer.Certificate.GetRSAPublicKey();
        if (issuer.PublicKeyAlgorithm != KeyOids.RsaSsaPss) return null;
        // .NET does not open id-RSASSA-PSS keys from a certificate; the key bits are a plain RSAPublicKey.
        var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(issuer.Certificate.PublicKey.EncodedKeyValue.RawData, out _);
        return rsa;
    }

    /// <summary>RFC 4055 RSASSA-PSS-params: .NET verifies only MGF1 with the same hash and salt = hash length, which is what the Web PKI uses.</summary>
    private static HashAlgorithmName PssHash(ReadOnlyMemory<byte>? parameters, string what)
    {
        if (parameters is null) throw new TlsException(AlertDescription.BadCertificate, $"{what} has RSASSA-PSS without parameters");
        var s = new AsnReader(parameters.Value, AsnEncodingRules.DER).ReadSequence();
        var hashOid = Oids.Sha1;
        var mgfHashOid = Oids.Sha1;
        var salt = 20;
        if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var h = s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            hashOid = ParsedCertificate.ReadAlgorithm(h).Oid;
        }
        if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            var m = s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)).ReadSequence();
            if (m.ReadObjectIdentifier() != Oids.Mgf1) throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} uses an RSASSA-PSS mask function other than MGF1");
            mgfHashOid = ParsedCertificate.ReadAlgorithm(m).Oid;
        }
        if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
            salt = (int)s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).ReadInteger();
        var (hash, length) = hashOid switch
        {
            Oids.Sha256 => (HashAlgorithmName.SHA256, 32),
            Oids.Sha384 => (HashAlgorithmName.SHA384, 48),
            Oids.Sha512 => (HashAlgorithmName.SHA512, 64),
            Oids.Sha1 => throw new TlsException(AlertDescription.BadCertificate, $"{what} is signed with RSASSA-PSS over SHA-1, which Tessera refuses"),
            _ => throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} uses an unsupported RSASSA-PSS hash ({hashOid})"),
        };
        if (mgfHashOid != hashOid || salt != length)
            throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} uses RSASSA-PSS parameters Tessera does not support (MGF1 hash and salt must match the hash)");
        return hash;
    }
}
