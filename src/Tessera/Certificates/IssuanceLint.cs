using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// Rules that bind the CA issuing a certificate (CA/Browser Forum Baseline Requirements and RFC 5280's "conforming CAs
/// MUST") but that Chrome's verifier and rustls-webpki do not enforce as relying parties. The WebPki profile once
/// refused chains for them; a relying party that refuses what every browser accepts breaks users for no security gain,
/// so they are reported here instead — by <c>tessera ca inspect --lint</c> and as <c>tessera scan</c> findings — and
/// never refuse a chain.
/// </summary>
public static class IssuanceLint
{
    /// <summary>
    /// The issuance rules <paramref name="certificate"/> breaks, each a sentence naming the clause; empty when it breaks
    /// none. Its place is read from the certificate itself: a self-issued CA certificate is judged as a root, another CA
    /// certificate as an intermediate, anything else as a subscriber (leaf) certificate.
    /// </summary>
    /// <exception cref="TlsException">The certificate is not well-formed DER (bad_certificate).</exception>
    public static IReadOnlyList<string> Check(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var cert = ParsedCertificate.Parse(certificate.RawData);
        var role = cert.IsCa == true ? cert.IsSelfIssued ? CertificateRole.Anchor : CertificateRole.Intermediate : CertificateRole.Leaf;
        return Check(cert, role);
    }

    internal static List<string> Check(ParsedCertificate cert, CertificateRole role)
    {
        var findings = new List<string>();
        if (role == CertificateRole.Anchor && cert.Version == 1) return findings;

        if (cert.PublicKeyAlgorithm is Crypto.KeyOids.RsaEncryption && cert.RsaModulusBits % 8 != 0)
            findings.Add($"has a {cert.RsaModulusBits}-bit RSA key, which BR §6.1.5 forbids (the modulus must be a whole number of octets)");
        if (role != CertificateRole.Anchor && cert.SignatureAlgorithm is Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa && cert.SignatureParameters is null)
            findings.Add("omits the NULL parameters of its RSA PKCS#1 signature algorithm, which BR §7.1.3.2.1 requires");

        if (role == CertificateRole.Anchor && cert.HasAuthorityKeyIdentifierExtension)
        {
            if (cert.AuthorityKeyIdentifierNamesIssuer)
                findings.Add("has an authorityKeyIdentifier naming an issuer and serial number, which BR §7.1.2.1.3 forbids in roots");
            else if (cert.AuthorityKeyIdentifier is not { } aki || cert.SubjectKeyIdentifier is not { } ski || !aki.AsSpan().SequenceEqual(ski))
                findings.Add("has an authorityKeyIdentifier whose keyIdentifier is not its own subjectKeyIdentifier, which BR §7.1.2.1.3 requires of roots");
        }
        if (role == CertificateRole.Intermediate && cert.KeyUsage is null)
            findings.Add("has no keyUsage, which BR §7.1.2.10.7 requires of CA certificates");
        if (cert.Has(Oids.NameConstraints) && !cert.IsCritical(Oids.NameConstraints))
            findings.Add("does not mark nameConstraints critical, which RFC 5280 §4.2.1.10 requires of the CA that issues it");
        if (!cert.HasEmptySubject && cert.IsCritical(Oids.SubjectAltName))
            findings.Add("marks subjectAltName critical while its subject is not empty, which BR §7.1.2.7.12 forbids");

        if (role == CertificateRole.Leaf)
        {
            if (CertificateProfileRules.CommonNameProblem(cert) is { } cn) findings.Add(cn);
            if (cert.ExtendedKeyUsages is not { } ekus)
                findings.Add("has no extendedKeyUsage, which BR §7.1.2.7.10 requires of subscriber certificates");
            else
            {
                if (ekus.Contains(Oids.AnyExtendedKeyUsage))
                    findings.Add("lists anyExtendedKeyUsage, which BR §7.1.2.7.10 forbids in subscriber certificates");
                if (cert.IsCritical(Oids.ExtendedKeyUsage))
                    findings.Add("marks extendedKeyUsage critical, which BR §7.1.2.7.10 forbids in subscriber certificates");
            }
        }
        else if (role == CertificateRole.Anchor && cert.ExtendedKeyUsages is not null)
            findings.Add("has an extendedKeyUsage, which BR §7.1.2.1.2 forbids in roots");
        return findings;
    }
}
