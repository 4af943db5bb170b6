using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Certificates;

/// <summary>
/// RFC 5280 §6.1 path validation of one candidate path (anchor first): validity at the injected time,
/// basicConstraints and pathLenConstraint, keyUsage, extendedKeyUsage for the purpose, name constraints, and
/// refusal of unknown critical extensions. Signatures were checked while the path was built.
/// </summary>
internal static class PathValidator
{
    /// <summary>Extensions Tessera understands; any other marked critical is refused (RFC 5280 §4.2).</summary>
    private static readonly HashSet<string> Understood =
    [
        Oids.BasicConstraints, Oids.KeyUsage, Oids.ExtendedKeyUsage, Oids.SubjectAltName, Oids.NameConstraints,
        Oids.SubjectKeyIdentifier, Oids.AuthorityKeyIdentifier,
        // Certificate policies carry no constraint in the Web PKI unless policy constraints are set, which we refuse as unknown.
        Oids.CertificatePolicies,
    ];

    public static TlsException? Validate(CertificatePath path, CertificatePurpose purpose, DateTimeOffset now)
    {
        var certs = path.Certificates;
        var leafName = path.Leaf.DisplayName;
        for (var i = 0; i < certs.Count; i++)
        {
            var cert = certs[i];
            var isLeaf = i == certs.Count - 1;
            var role = isLeaf ? "certificate" : i == 0 ? "root" : "intermediate";
            var name = isLeaf ? $"for {leafName}" : $"'{cert.Subject.Name}'";

            if (now > cert.NotAfter)
                return new TlsException(AlertDescription.CertificateExpired,
                    $"{role} {name} expired on {cert.NotAfter:yyyy-MM-dd}, {Ago(now - cert.NotAfter)} ago");
            if (now < cert.NotBefore)
                return new TlsException(AlertDescription.CertificateExpired,
                    $"{role} {name} is not valid until {cert.NotBefore:yyyy-MM-dd HH:mm} UTC ({Ago(cert.NotBefore - now)} from now)");

            foreach (var (oid, critical, _) in cert.Extensions)
                if (critical && !Understood.Contains(oid))
                    return new TlsException(AlertDescription.UnsupportedCertificate, $"{role} {name} has an unknown critical extension {oid}");

            if (!isLeaf)
            {
                // A version 1 root (no extensions) is accepted as an anchor, as OpenSSL and the platform stores do.
                var legacyV1Anchor = i == 0 && cert.Version == 1;
                if (cert.IsCa != true && !legacyV1Anchor)
                    return new TlsException(AlertDescription.BadCertificate, $"{role} {name} is not a CA (basicConstraints cA is not set), so it cannot issue certificates");
                if (cert.KeyUsage is { } ku && (ku & X509KeyUsageFlags.KeyCertSign) == 0)
                    return new TlsException(AlertDescription.BadCertificate, $"{role} {name} may not sign certificates (keyUsage lacks keyCertSign)");
                if (cert.PathLengthConstraint is { } maxBelow)
                {
                    // Intermediate CAs below this one, not counting the leaf or self-issued certificates (RFC 5280 §6.1.4 (l)).
                    var below = 0;
                    for (var j = i + 1; j < certs.Count - 1; j++)
                        if (!certs[j].IsSelfIssued) below++;
                    if (below > maxBelow)
                        return new TlsException(AlertDescription.BadCertificate,
                            $"{role} {name} allows {maxBelow} intermediate CA(s) below it (pathLenConstraint) but the chain has {below}");
                }
                if (cert.NameConstraints is { } constraints)
                {
                    for (var j = i + 1; j < certs.Count; j++)
                    {
                        var below = certs[j];
                        var checkSubject = j == certs.Count - 1 || !below.IsSelfIssued;
                        if (constraints.Violation(below, checkSubject) is { } why)
                            return new TlsException(AlertDescription.BadCertificate,
                                $"{(j == certs.Count - 1 ? $"certificate for {leafName}" : $"intermediate '{below.Subject.Name}'")} violates the name constraints of '{cert.Subject.Name}': {why}");
                    }
                }
            }

            // Extended key usage: the leaf must name the purpose; a CA that lists EKUs constrains what it issues
            // (the Web PKI's EKU chaining, as NSS and OpenSSL do). anyExtendedKeyUsage satisfies a CA's list but not
            // a leaf's: CA/B Forum BR §7.1.2.7 forbids it in subscriber certificates, and NSS and OpenSSL refuse it there.
            if (cert.ExtendedKeyUsages is { } ekus && i > 0)
            {
                var wanted = purpose == CertificatePurpose.ServerAuthentication ? Oids.ServerAuth : Oids.ClientAuth;
                if (!ekus.Contains(wanted) && (isLeaf || !ekus.Contains(Oids.AnyExtendedKeyUsage)))
                {
                    var what = purpose == CertificatePurpose.ServerAuthentication ? "server authentication (serverAuth)" : "client authentication (clientAuth)";
                    return new TlsException(AlertDescription.UnsupportedCertificate, $"{role} {name} is not valid for {what}: its extendedKeyUsage lists {PeerText.List(ekus, EkuName)}");
                }
            }
        }
        return null;
    }

    private static string EkuName(string oid) => oid switch
    {
        Oids.ServerAuth => "serverAuth",
        Oids.ClientAuth => "clientAuth",
        Oids.OcspSigning => "OCSPSigning",
        Oids.AnyExtendedKeyUsage => "anyExtendedKeyUsage",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        _ => oid,
    };

    internal static string Ago(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        if (days >= 1) return days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");
        var hours = Math.Max(1, (int)Math.Floor(span.TotalHours));
        return hours == 1 ? "1 hour" : string.Create(CultureInfo.InvariantCulture, $"{hours} hours");
    }
}
