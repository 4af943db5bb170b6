using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// The structural rules one certificate must meet for its place in a path: extension presence and criticality
/// (RFC 5280 §4.2, CA/B Forum BR §7.1.2), serial numbers (§4.1.2.2) and subject form (§4.1.2.6). Each rule names the
/// clause it enforces and the profile it belongs to; path-wide rules (validity, path length, name constraints, EKU
/// chaining) stay in <see cref="PathValidator"/>.
/// </summary>
internal static class CertificateProfileRules
{
    /// <summary>Returns the first rule <paramref name="cert"/> breaks, as an error naming it by <paramref name="label"/>, or null.</summary>
    public static TlsException? Check(ParsedCertificate cert, CertificateRole role, VerificationProfile profile, string label)
    {
        var web = profile == VerificationProfile.WebPki;
        // A version 1 root has no extensions to judge; it is accepted as an anchor, as OpenSSL and platform stores do.
        if (role == CertificateRole.Anchor && cert.Version == 1) return null;

        if (role != CertificateRole.Anchor && SerialProblem(cert.SerialNumber) is { } serial)
            return Refuse(label, $"has {serial}, which RFC 5280 §4.1.2.2 forbids (serial numbers are positive and at most 20 octets)");

        // Key identifiers (RFC 5280 §4.2.1.1, §4.2.1.2; BR §7.1.2.1.3 for roots).
        if (cert.IsCritical(Oids.AuthorityKeyIdentifier))
            return Refuse(label, "marks authorityKeyIdentifier critical, which RFC 5280 §4.2.1.1 forbids");
        if (cert.IsCritical(Oids.SubjectKeyIdentifier))
            return Refuse(label, "marks subjectKeyIdentifier critical, which RFC 5280 §4.2.1.2 forbids");
        if (role != CertificateRole.Anchor && cert.AuthorityKeyIdentifier is null)
            return Refuse(label, cert.HasAuthorityKeyIdentifierExtension
                ? "has an authorityKeyIdentifier without keyIdentifier, which RFC 5280 §4.2.1.1 requires of certificates that are not self-signed"
                : "has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires of certificates that are not self-signed");
        if (role == CertificateRole.Anchor && web && cert.HasAuthorityKeyIdentifierExtension)
        {
            if (cert.AuthorityKeyIdentifierNamesIssuer)
                return Refuse(label, "has an authorityKeyIdentifier naming an issuer and serial number, which BR §7.1.2.1.3 forbids in roots");
            if (cert.AuthorityKeyIdentifier is not { } aki || cert.SubjectKeyIdentifier is not { } ski || !aki.AsSpan().SequenceEqual(ski))
                return Refuse(label, "has an authorityKeyIdentifier whose keyIdentifier is not its own subjectKeyIdentifier, which BR §7.1.2.1.3 requires of roots");
        }

        var isCa = cert.IsCa == true;
        if (role != CertificateRole.Leaf || isCa)
        {
            if (cert.SubjectKeyIdentifier is null)
                return Refuse(label, "has no subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires of CA certificates");
            if (isCa && !cert.IsCritical(Oids.BasicConstraints))
                return Refuse(label, "does not mark basicConstraints critical, which RFC 5280 §4.2.1.9 requires of CA certificates");
            if (cert.HasEmptySubject)
                return Refuse(label, "has an empty subject, which RFC 5280 §4.1.2.6 forbids in CA certificates");
        }
        if (role == CertificateRole.Intermediate && web && cert.KeyUsage is null)
            return Refuse(label, "has no keyUsage, which BR §7.1.2.10.7 requires of CA certificates");

        if (cert.KeyUsage is { } ku)
        {
            if (ku == X509KeyUsageFlags.None)
                return Refuse(label, "has a keyUsage with no bit set, which RFC 5280 §4.2.1.3 forbids");
            if ((ku & X509KeyUsageFlags.KeyCertSign) != 0 && !isCa)
                return Refuse(label, "asserts keyCertSign without basicConstraints cA, which RFC 5280 §4.2.1.3 forbids");
        }

        if (role == CertificateRole.Leaf && isCa && web)
            return Refuse(label, "is a CA certificate (basicConstraints cA is set) used as an end-entity certificate, which BR §7.1.2.7.8 forbids");

        // Name and policy constraints (RFC 5280 §4.2.1.10, §4.2.1.11).
        if (cert.Has(Oids.NameConstraints))
        {
            if (role == CertificateRole.Leaf && !isCa)
                return Refuse(label, "carries nameConstraints, which RFC 5280 §4.2.1.10 allows only in CA certificates");
            if (!cert.IsCritical(Oids.NameConstraints))
                return Refuse(label, "does not mark nameConstraints critical, which RFC 5280 §4.2.1.10 requires");
        }
        if (cert.Has(Oids.PolicyConstraints) && !cert.IsCritical(Oids.PolicyConstraints))
            return Refuse(label, "does not mark policyConstraints critical, which RFC 5280 §4.2.1.11 requires");

        // Subject alternative names (RFC 5280 §4.2.1.6, BR §7.1.2.7.12).
        if (cert.HasEmptySubject && !cert.IsCritical(Oids.SubjectAltName))
            return Refuse(label, cert.HasSubjectAltName
                ? "has an empty subject and a non-critical subjectAltName; RFC 5280 §4.2.1.6 requires it critical then"
                : "has an empty subject and no subjectAltName, so it names nobody (RFC 5280 §4.2.1.6)");
        if (web && !cert.HasEmptySubject && cert.IsCritical(Oids.SubjectAltName))
            return Refuse(label, "marks subjectAltName critical while its subject is not empty, which BR §7.1.2.7.12 forbids");

        // Extended key usage (BR §7.1.2.7.10 for subscribers, §7.1.2.1.2 for roots).
        if (web)
        {
            if (role == CertificateRole.Leaf)
            {
                if (cert.ExtendedKeyUsages is not { } ekus)
                    return Refuse(label, "has no extendedKeyUsage, which BR §7.1.2.7.10 requires of subscriber certificates");
                if (ekus.Contains(Oids.AnyExtendedKeyUsage))
                    return Refuse(label, "lists anyExtendedKeyUsage, which BR §7.1.2.7.10 forbids in subscriber certificates");
                if (cert.IsCritical(Oids.ExtendedKeyUsage))
                    return Refuse(label, "marks extendedKeyUsage critical, which BR §7.1.2.7.10 forbids in subscriber certificates");
            }
            else if (role == CertificateRole.Anchor && cert.ExtendedKeyUsages is not null)
                return Refuse(label, "has an extendedKeyUsage, which BR §7.1.2.1.2 forbids in roots");
        }
        return null;
    }

    /// <summary>What is wrong with a DER INTEGER serial, or null: negative, zero, or more than 20 octets of magnitude.</summary>
    internal static string? SerialProblem(ReadOnlySpan<byte> serial)
    {
        if (serial.Length == 0) return "an empty serial number";
        if ((serial[0] & 0x80) != 0) return "a negative serial number";
        if (serial.Length == 1 && serial[0] == 0) return "serial number zero";
        // A 20-octet positive number whose top bit is set needs a leading zero octet in DER: 21 octets, 20 of magnitude.
        var magnitude = serial[0] == 0 ? serial.Length - 1 : serial.Length;
        return magnitude > 20 ? $"a serial number of {magnitude} octets" : null;
    }

    private static TlsException Refuse(string label, string rule) => new(AlertDescription.BadCertificate, $"{label} {rule}");
}
