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
        // How the algorithm is checked; refused and unknown algorithms throw before any key is touched.
        var (kind, hash) = algorithm switch
        {
            Oids.Md5WithRsa or Oids.Sha1WithRsa or Oids.EcdsaWithSha1 => throw new TlsException(AlertDescription.BadCertificate,
                $"{what} is signed with {(algorithm == Oids.Md5WithRsa ? "MD5" : "SHA-1")}, which Tessera refuses (collisions are practical)"),
            Oids.Sha256WithRsa => (Kind.RsaPkcs1, HashAlgorithmName.SHA256),
            Oids.Sha384WithRsa => (Kind.RsaPkcs1, HashAlgorithmName.SHA384),
            Oids.Sha512WithRsa => (Kind.RsaPkcs1, HashAlgorithmName.SHA512),
            Oids.RsaSsaPss => (Kind.RsaPss, PssHash(parameters, what)),
            Oids.EcdsaWithSha256 => (Kind.Ecdsa, HashAlgorithmName.SHA256),
            Oids.EcdsaWithSha384 => (Kind.Ecdsa, HashAlgorithmName.SHA384),
            Oids.EcdsaWithSha512 => (Kind.Ecdsa, HashAlgorithmName.SHA512),
            Oids.Ed25519 => (Kind.Ed25519, default),
            _ => throw new TlsException(AlertDescription.UnsupportedCertificate, $"{what} is signed with an algorithm Tessera does not support ({algorithm})"),
        };

        // The issuer's imported key is lent by the cache: importing through OpenSSL costs as much as verifying.
        // A key of the wrong type verifies nothing (each Verify method returns false for it).
        var key = VerificationKeyCache.Rent(issuer.SubjectPublicKeyInfo.Span, issuer.LoadedCertificate);
        try
        {
            // The verifier serves many connections and is not told theirs: it uses the process default provider.
            var provider = CryptoProvider.Default;
            return kind switch
            {
                Kind.RsaPkcs1 or Kind.RsaPss => provider.VerifyRsa(key, data, signature, RsaScheme(kind, hash)),
                Kind.Ecdsa => provider.VerifyEcdsa(key, data, signature, hash),
                _ => provider.VerifyEd25519(key, data, signature),
            };
        }
        finally
        {
            VerificationKeyCache.Return(key);
        }
    }

    private enum Kind { RsaPkcs1, RsaPss, Ecdsa, Ed25519 }

    /// <summary>
    /// The TLS scheme that computes the same check: PKCS#1 v1.5, or PSS with MGF1 on the same hash and salt = hash
    /// length (rsae: the provider applies it to an rsaEncryption key; an RSASSA-PSS key is checked by .NET either way).
    /// </summary>
    private static SignatureScheme RsaScheme(Kind kind, HashAlgorithmName hash) =>
        (kind, hash.Name) switch
        {
            (Kind.RsaPkcs1, "SHA256") => SignatureScheme.RsaPkcs1Sha256,
            (Kind.RsaPkcs1, "SHA384") => SignatureScheme.RsaPkcs1Sha384,
            (Kind.RsaPkcs1, "SHA512") => SignatureScheme.RsaPkcs1Sha512,
            (Kind.RsaPss, "SHA256") => SignatureScheme.RsaPssRsaeSha256,
            (Kind.RsaPss, "SHA384") => SignatureScheme.RsaPssRsaeSha384,
            (Kind.RsaPss, "SHA512") => SignatureScheme.RsaPssRsaeSha512,
            _ => throw TlsException.Internal($"no RSA scheme for {kind} with {hash.Name}"),
        };

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
