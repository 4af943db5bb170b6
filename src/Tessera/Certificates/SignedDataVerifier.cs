using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
        // Which key type the algorithm needs, and how to check it; refused and unknown algorithms throw here.
        string[] keyTypes;
        HashAlgorithmName hash = default;
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
                keyTypes = RsaKeys;
                hash = algorithm switch { Oids.Sha256WithRsa => HashAlgorithmName.SHA256, Oids.Sha384WithRsa => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                break;
            case Oids.RsaSsaPss:
                keyTypes = RsaKeys;
                hash = PssHash(parameters, what);
                break;
            case Oids.EcdsaWithSha256:
            case Oids.EcdsaWithSha384:
            case Oids.EcdsaWithSha512:
                keyTypes = EcKeys;
                hash = algorithm switch { Oids.EcdsaWithSha256 => HashAlgorithmName.SHA256, Oids.EcdsaWithSha384 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                break;
            case Oids.Ed25519:
                keyTypes = Ed25519Keys;
                break;
            default:
                throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} is signed with an algorithm Tessera does not support ({algorithm})");
        }
        if (Array.IndexOf(keyTypes, issuer.PublicKeyAlgorithm) < 0) return false;

        // The issuer's imported key is lent by the cache: importing through OpenSSL costs as much as verifying.
        var key = VerificationKeyCache.Rent(issuer.SubjectPublicKeyInfo.Span, issuer.LoadedCertificate);
        try
        {
            return algorithm switch
            {
                Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa => key.VerifyRsa(data, signature, hash, RSASignaturePadding.Pkcs1),
                Oids.RsaSsaPss => key.VerifyRsa(data, signature, hash, RSASignaturePadding.Pss),
                Oids.Ed25519 => key.VerifyEd25519(data, signature),
                _ => key.VerifyEcdsa(data, signature, hash),
            };
        }
        finally
        {
            VerificationKeyCache.Return(key);
        }
    }

    private static readonly string[] RsaKeys = [KeyOids.RsaEncryption, KeyOids.RsaSsaPss];
    private static readonly string[] EcKeys = [KeyOids.EcPublicKey];
    private static readonly string[] Ed25519Keys = [KeyOids.Ed25519];

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
