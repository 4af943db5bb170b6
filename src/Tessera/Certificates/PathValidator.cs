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

    /// <summary>The most name × subtree comparisons one path may need.</summary>
    internal const int MaxNameConstraintChecks = 65_536;

    public static TlsException? Validate(CertificatePath path, CertificatePurpose purpose, DateTimeOffset now, VerificationProfile profile)
    {
        var certs = path.Certificates;
        // Names for messages are built only on failure (Name(), leafName): a chain that passes allocates no text.
        string leafName() => path.Leaf.DisplayName;
        // Validity has a granularity of one second (RFC 5280 §4.1.2.5): notAfter covers the whole of its second, so the
        // clock is compared truncated to the second — 12:00:00.7 is still within a notAfter of 12:00:00.
        var second = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        long work = 0;
        for (var i = 0; i < certs.Count; i++)
        {
            var cert = certs[i];
            var isLeaf = i == certs.Count - 1;
            var role = isLeaf ? "certificate" : i == 0 ? "root" : "intermediate";
            string name() => isLeaf ? $"for {leafName()}" : $"'{cert.Subject.Name}'";

            if (second > cert.NotAfter)
                return new TlsException(AlertDescription.CertificateExpired,
                    $"{role} {name()} expired on {cert.NotAfter:yyyy-MM-dd HH:mm:ss} UTC, {Ago(second - cert.NotAfter)} ago");
            if (second < cert.NotBefore)
                return new TlsException(AlertDescription.CertificateExpired,
                    $"{role} {name()} is not valid until {cert.NotBefore:yyyy-MM-dd HH:mm:ss} UTC ({Ago(cert.NotBefore - second)} from now)");

            // A leaf that is itself in the trust store (a self-signed certificate the caller trusts directly, as with
            // `openssl req -x509`) is judged as the anchor it is: trusted by configuration, so the rules for subscriber
            // certificates (not a CA, EKU form) do not apply to it, as OpenSSL, curl and Go accept it.
            var position = i == 0 ? CertificateRole.Anchor : isLeaf ? CertificateRole.Leaf : CertificateRole.Intermediate;
            if (CertificateProfileRules.Check(cert, position, profile) is { } rule)
                return new TlsException(AlertDescription.BadCertificate, $"{role} {name()} {rule}");

            foreach (var (oid, critical, _) in cert.Extensions)
                if (critical && !Understood.Contains(oid))
                    return new TlsException(AlertDescription.UnsupportedCertificate, $"{role} {name()} has an unknown critical extension {oid}");

            if (!isLeaf)
            {
                // A version 1 root (no extensions) is accepted as an anchor, as OpenSSL and the platform stores do.
                var legacyV1Anchor = i == 0 && cert.Version == 1;
                if (cert.IsCa != true && !legacyV1Anchor)
                    return new TlsException(AlertDescription.BadCertificate, $"{role} {name()} is not a CA (basicConstraints cA is not set), so it cannot issue certificates");
                if (cert.KeyUsage is { } ku && (ku & X509KeyUsageFlags.KeyCertSign) == 0)
                    return new TlsException(AlertDescription.BadCertificate, $"{role} {name()} may not sign certificates (keyUsage lacks keyCertSign)");
                if (cert.PathLengthConstraint is { } maxBelow)
                {
                    // Intermediate CAs below this one, not counting the leaf or self-issued certificates (RFC 5280 §6.1.4 (l)).
                    var below = 0;
                    for (var j = i + 1; j < certs.Count - 1; j++)
                        if (!certs[j].IsSelfIssued) below++;
                    if (below > maxBelow)
                        return new TlsException(AlertDescription.BadCertificate,
                            $"{role} {name()} allows {maxBelow} intermediate CA(s) below it (pathLenConstraint) but the chain has {below}");
                }
                if (cert.NameConstraints is { } constraints)
                {
                    // The work bound: every name below × every subtree here. A hostile chain of many names and many
                    // constraints would otherwise make verification quadratic; past the bound it is refused, as Go's
                    // crypto/x509 refuses a chain past 250,000 comparisons. The subject counts as names too (+2: the
                    // directoryName and any emailAddress).
                    long names = 0;
                    for (var j = i + 1; j < certs.Count; j++) names += certs[j].SubjectAltNames.Count + 2;
                    work += names * constraints.Count;
                    if (work > MaxNameConstraintChecks)
                        return new TlsException(AlertDescription.BadCertificate,
                            $"the chain of {leafName()} needs more than {MaxNameConstraintChecks} name-constraint comparisons (names × subtrees); Tessera refuses it rather than spend the time");
                    for (var j = i + 1; j < certs.Count; j++)
                    {
                        var below = certs[j];
                        // RFC 5280 §6.1.3 (b), (c): a self-issued certificate that is not the last is exempt altogether.
                        if (j < certs.Count - 1 && below.IsSelfIssued) continue;
                        if (constraints.Violation(below, checkSubject: true) is { } why)
                            return new TlsException(AlertDescription.BadCertificate,
                                $"{(j == certs.Count - 1 ? $"certificate for {leafName()}" : $"intermediate '{below.Subject.Name}'")} violates the name constraints of '{cert.Subject.Name}': {why}");
                    }
                }
            }

            // Extended key usage: the leaf must name the purpose; a CA that lists EKUs constrains what it issues
            // (the Web PKI's EKU chaining, as NSS and OpenSSL do). anyExtendedKeyUsage satisfies a CA's list but not
            // a leaf's: CA/B Forum BR §7.1.2.7 forbids it in subscriber certificates, and NSS and OpenSSL refuse it there.
            if (cert.ExtendedKeyUsages is { } ekus && i > 0)
            {
                var wanted = purpose == CertificatePurpose.ServerAuthentication ? Oids.ServerAuth : Oids.ClientAuth;
                // Under the RFC 5280 profile anyExtendedKeyUsage means what §4.2.1.12 says, any purpose, in a leaf too.
                var anySatisfies = !isLeaf || profile == VerificationProfile.Rfc5280;
                if (!ekus.Contains(wanted) && (!anySatisfies || !ekus.Contains(Oids.AnyExtendedKeyUsage)))
                {
                    var what = purpose == CertificatePurpose.ServerAuthentication ? "server authentication (serverAuth)" : "client authentication (clientAuth)";
                    return new TlsException(AlertDescription.UnsupportedCertificate, $"{role} {name()} is not valid for {what}: its extendedKeyUsage lists {PeerText.List(ekus, EkuName)}");
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

    /// <summary>A span in its largest whole unit, never rounded up: 1 day 23 hours is "1 day", 59 s is "59 seconds".</summary>
    internal static string Ago(TimeSpan span)
    {
        if (span.TotalDays >= 1) return Unit((long)Math.Floor(span.TotalDays), "day");
        if (span.TotalHours >= 1) return Unit((long)Math.Floor(span.TotalHours), "hour");
        if (span.TotalMinutes >= 1) return Unit((long)Math.Floor(span.TotalMinutes), "minute");
        return Unit(Math.Max(1, (long)Math.Floor(span.TotalSeconds)), "second");
    }

    private static string Unit(long n, string unit) =>
        n == 1 ? $"1 {unit}" : string.Create(CultureInfo.InvariantCulture, $"{n} {unit}s");
}
