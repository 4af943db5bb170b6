using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Crypto;

namespace Tessera.Scan;

/// <summary>What an auditor reads off one certificate of a served chain.</summary>
public sealed record CertificateFacts
{
    /// <summary>RFC 7633 TLS Feature; a value of 5 (status_request) is "must staple".</summary>
    private const string TlsFeatureOid = "1.3.6.1.5.5.7.1.24";

    /// <summary>The subject's distinguished name, as .NET prints it.</summary>
    public required string Subject { get; init; }
    /// <summary>The issuer's distinguished name.</summary>
    public required string Issuer { get; init; }
    /// <summary>The key as people name it ("EC P-256", "RSA 2048").</summary>
    public required string Key { get; init; }
    /// <summary>The key's algorithm: "EC", "RSA", "Ed25519" and so on.</summary>
    public required string KeyAlgorithm { get; init; }
    /// <summary>The key's size in bits (the curve's for EC keys).</summary>
    public required int KeyBits { get; init; }
    /// <summary>The algorithm the issuer signed the certificate with.</summary>
    public required string SignatureAlgorithm { get; init; }
    /// <summary>The start of the validity period.</summary>
    public required DateTimeOffset NotBefore { get; init; }
    /// <summary>The end of the validity period.</summary>
    public required DateTimeOffset NotAfter { get; init; }
    /// <summary>The subjectAltName entries, each as "DNS:name", "IP:address" and so on.</summary>
    public required List<string> SubjectAltNames { get; init; }
    /// <summary>The OCSP responders its Authority Information Access names.</summary>
    public required List<string> OcspUrls { get; init; }
    /// <summary>The CRL distribution points it names.</summary>
    public required List<string> CrlUrls { get; init; }
    /// <summary>RFC 7633: the certificate asks clients to insist on a stapled OCSP response.</summary>
    public required bool MustStaple { get; init; }
    /// <summary>Subject and issuer are the same and the signature is its own.</summary>
    public required bool SelfSigned { get; init; }
    /// <summary>The SHA-256 fingerprint of the DER, in hex.</summary>
    public required string Sha256 { get; init; }
    /// <summary>
    /// CA/Browser Forum and RFC 5280 rules that bind the issuing CA but that browsers do not enforce (<see cref="IssuanceLint"/>):
    /// worth an auditor's note, never a reason the chain is refused.
    /// </summary>
    public required List<string> IssuanceFindings { get; init; }

    /// <summary>Reads the facts off <paramref name="cert"/>.</summary>
    public static CertificateFacts Of(X509Certificate2 cert)
    {
        var (dns, ips) = HostnameMatcher.Names(cert);
        var sans = new List<string>(dns);
        foreach (var ip in ips) sans.Add(ip.ToString());
        var ocsp = new List<string>();
        var crl = new List<string>();
        var mustStaple = false;
        foreach (var ext in cert.Extensions)
        {
            if (ext is X509AuthorityInformationAccessExtension aia)
                foreach (var uri in aia.EnumerateOcspUris()) ocsp.Add(uri);
            else if (ext.Oid?.Value == "2.5.29.31")
                crl.AddRange(ReadCrlUrls(ext.RawData));
            else if (ext.Oid?.Value == TlsFeatureOid)
                mustStaple = ListsStatusRequest(ext.RawData);
        }
        var (algorithm, bits) = KeyOf(cert);
        return new CertificateFacts
        {
            Subject = cert.Subject,
            Issuer = cert.Issuer,
            Key = KeyDescription.Of(cert),
            KeyAlgorithm = algorithm,
            KeyBits = bits,
            SignatureAlgorithm = cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value ?? "?",
            NotBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SubjectAltNames = sans,
            OcspUrls = ocsp,
            CrlUrls = crl,
            MustStaple = mustStaple,
            SelfSigned = cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData),
            Sha256 = Convert.ToHexString(SHA256.HashData(cert.RawData)),
            IssuanceFindings = Lint(cert),
        };
    }

    private static List<string> Lint(X509Certificate2 cert)
    {
        try
        {
            return [.. IssuanceLint.Check(cert)];
        }
        catch (TlsException e)
        {
            // A certificate Tessera cannot parse is judged (and refused) by the chain verdict; the lint says why once.
            return [$"cannot be read for the issuance rules: {e.Message}"];
        }
    }

    private static (string Algorithm, int Bits) KeyOf(X509Certificate2 cert)
    {
        using (var rsa = cert.GetRSAPublicKey()) if (rsa is not null) return ("RSA", rsa.KeySize);
        using (var ec = cert.GetECDsaPublicKey()) if (ec is not null) return ("ECDSA", ec.KeySize);
        return cert.PublicKey.Oid.Value switch
        {
            "1.3.101.112" => ("Ed25519", 256),
            "1.3.101.113" => ("Ed448", 456),
            "1.2.840.10040.4.1" => ("DSA", cert.PublicKey.EncodedKeyValue.RawData.Length * 8),
            var oid => (oid ?? "?", 0),
        };
    }

    /// <summary>RFC 5280 §4.2.1.13: the URIs among the fullNames of each DistributionPoint. A malformed extension yields none.</summary>
    private static List<string> ReadCrlUrls(byte[] value)
    {
        var urls = new List<string>();
        try
        {
            var points = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            var context0 = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            var uri = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (points.HasData)
            {
                var point = points.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(context0)) continue;
                var name = point.ReadSequence(context0);           // distributionPoint [0] DistributionPointName (a CHOICE, so explicit)
                if (!name.HasData || !name.PeekTag().HasSameClassAndValue(context0)) continue;
                var fullName = name.ReadSequence(context0);        // fullName [0] GeneralNames
                while (fullName.HasData)
                {
                    if (fullName.PeekTag().HasSameClassAndValue(uri)) urls.Add(fullName.ReadCharacterString(UniversalTagNumber.IA5String, uri));
                    else fullName.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            urls.Add("(malformed CRL distribution points extension)");
        }
        return urls;
    }

    private static bool ListsStatusRequest(byte[] value)
    {
        try
        {
            var features = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            while (features.HasData)
                if (features.TryReadInt32(out var feature) && feature == 5) return true;
        }
        catch (AsnContentException)
        {
            return false;   // a TLS Feature extension we cannot read promises nothing we could check
        }
        return false;
    }
}
