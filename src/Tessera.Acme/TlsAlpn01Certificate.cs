using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tessera.Certificates;

namespace Tessera.Acme;

/// <summary>
/// The validation certificate of tls-alpn-01 (RFC 8737 §3): self-signed, one subjectAltName — the identifier being
/// validated — and the critical id-pe-acmeIdentifier extension holding SHA-256 of the key authorization.
/// </summary>
public static class TlsAlpn01Certificate
{
    /// <summary>id-pe-acmeIdentifier (RFC 8737 §6.1): 1.3.6.1.5.5.7.1.31.</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>The ALPN protocol the CA's validator offers and the answer must negotiate (RFC 8737 §6.2).</summary>
    public const string Protocol = "acme-tls/1";

    /// <summary>
    /// The acmeIdentifier extension for <paramref name="keyAuthorization"/>: critical, its extnValue the DER of
    /// <c>Authorization ::= OCTET STRING (SIZE (32))</c>, the SHA-256 digest of the key authorization's ASCII bytes.
    /// </summary>
    public static X509Extension AcmeIdentifierExtension(string keyAuthorization)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        w.WriteOctetString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
        return new X509Extension(AcmeIdentifierOid, w.Encode(), critical: true);
    }

    /// <summary>
    /// A validation credential for <paramref name="identifier"/> (a DNS name, or an IP address for RFC 8738, whose
    /// subjectAltName is then that address) valid for a week around <paramref name="now"/>, with a new P-256 key.
    /// </summary>
    public static TlsCredential Create(string identifier, string keyAuthorization, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ACME tls-alpn-01 validation", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(identifier, out var ip)) san.AddIpAddress(ip);
        else san.AddDnsName(identifier);
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(AcmeIdentifierExtension(keyAuthorization));
        // The credential owns the certificate (and its key) from here on.
        return TlsCredential.FromCertificate(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7)));
    }

    /// <summary>The name a validator sends as SNI for an identifier: the name itself, or for an IP address its reverse-DNS name (RFC 8738 §6).</summary>
    public static string ServerNameFor(string identifier)
    {
        if (!IPAddress.TryParse(identifier, out var ip)) return identifier.ToLowerInvariant();
        var bytes = ip.GetAddressBytes();
        var sb = new StringBuilder();
        if (bytes.Length == 4)
        {
            for (var i = 3; i >= 0; i--) sb.Append(bytes[i]).Append('.');
            return sb.Append("in-addr.arpa").ToString();
        }
        for (var i = 15; i >= 0; i--) sb.Append((bytes[i] & 0xf).ToString("x")).Append('.').Append((bytes[i] >> 4).ToString("x")).Append('.');
        return sb.Append("ip6.arpa").ToString();
    }
}
