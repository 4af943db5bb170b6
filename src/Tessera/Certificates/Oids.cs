namespace Tessera.Certificates;

/// <summary>Object identifiers the certificate engine reads (RFC 5280, RFC 4055, RFC 5758, RFC 8410, RFC 6960).</summary>
internal static class Oids
{
    // Extensions (RFC 5280 §4.2)
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string KeyUsage = "2.5.29.15";
    public const string SubjectAltName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string CrlNumber = "2.5.29.20";
    public const string NameConstraints = "2.5.29.30";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string CertificatePolicies = "2.5.29.32";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string PolicyConstraints = "2.5.29.36";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
    public const string CtPrecertificateScts = "1.3.6.1.4.1.11129.2.4.2";

    // Extended key usages (RFC 5280 §4.2.1.12)
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    // Keys
    public const string DsaKey = "1.2.840.10040.4.1";

    // Signature algorithms
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string RsaSsaPss = "1.2.840.113549.1.1.10";
    public const string Mgf1 = "1.2.840.113549.1.1.8";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";
    public const string Ed25519 = "1.3.101.112";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    // OCSP (RFC 6960)
    public const string OcspBasic = "1.3.6.1.5.5.7.48.1.1";
    public const string OcspNoCheck = "1.3.6.1.5.5.7.48.1.5";
}
