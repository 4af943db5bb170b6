using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// Interim verifier: builds the path with the platform's <see cref="X509Chain"/> against Tessera's own
/// trust store (custom root trust, no downloads, no revocation), checks validity at the injected time,
/// and matches the host name with <see cref="HostnameMatcher"/>. A later issue replaces the engine with
/// Tessera's own RFC 5280 verifier behind the same interface.
/// </summary>
public sealed class X509ChainCertificateVerifier : ICertificateVerifier
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public X509ChainCertificateVerifier(TrustStore trustStore) => TrustStore = trustStore;

    public TrustStore TrustStore { get; }

    public void Verify(CertificateVerificationRequest request)
    {
        if (request.Chain.Count == 0) throw new TlsException(AlertDescription.BadCertificate, "the peer sent no certificate");
        var leaf = request.Chain[0];
        var who = Describe(leaf);
        var now = request.Now;

        // Validity first, with the injected clock, so the message can say which certificate and when.
        foreach (var cert in request.Chain)
        {
            var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (now > notAfter)
                throw new TlsException(AlertDescription.CertificateExpired,
                    $"certificate {Describe(cert)} expired on {notAfter:yyyy-MM-dd}, {Days(now - notAfter)} ago");
            if (now < notBefore)
                throw new TlsException(AlertDescription.CertificateExpired,
                    $"certificate {Describe(cert)} is not valid until {notBefore:yyyy-MM-dd HH:mm} UTC ({Days(notBefore - now)} from now)");
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(TrustStore.Roots);
        for (var i = 1; i < request.Chain.Count; i++) policy.ExtraStore.Add(request.Chain[i]);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.ApplicationPolicy.Add(new Oid(request.Purpose == CertificatePurpose.ServerAuthentication ? ServerAuthOid : ClientAuthOid));

        if (!chain.Build(leaf))
        {
            var flags = X509ChainStatusFlags.NoError;
            foreach (var s in chain.ChainStatus) flags |= s.Status;
            throw Translate(flags, chain, who);
        }

        if (request.HostName is { } host && !HostnameMatcher.Matches(leaf, host, out var names))
        {
            var listed = names.Count == 0 ? "no DNS or IP names (the subject CN is not used)" : string.Join(", ", names);
            throw new TlsException(AlertDescription.BadCertificate,
                $"name '{host}' is not covered: certificate names {listed}");
        }
    }

    private TlsException Translate(X509ChainStatusFlags flags, X509Chain chain, string who)
    {
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            var top = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : null;
            var issuer = top?.Issuer ?? "?";
            var detail = (flags & X509ChainStatusFlags.PartialChain) != 0
                ? $"the issuer '{issuer}' was not sent by the peer and is not a trusted root (missing intermediate?)"
                : $"it ends at '{top?.Subject}', which is not in the trust store ({TrustStore.Description})";
            return new TlsException(AlertDescription.UnknownCa, $"certificate {who} is not trusted: {detail}");
        }
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            return new TlsException(AlertDescription.CertificateExpired, $"a certificate in the chain of {who} is outside its validity period");
        if ((flags & X509ChainStatusFlags.Revoked) != 0)
            return new TlsException(AlertDescription.CertificateRevoked, $"certificate {who} has been revoked");
        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
            return new TlsException(AlertDescription.BadCertificate, $"a signature in the chain of {who} does not verify");
        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidBasicConstraints)) != 0)
            return new TlsException(AlertDescription.UnsupportedCertificate, $"certificate {who} may not be used for this purpose ({flags})");
        return new TlsException(AlertDescription.BadCertificate, $"certificate {who} was refused: {flags}");
    }

    private static string Describe(X509Certificate2 cert)
    {
        var (dns, _) = HostnameMatcher.Names(cert);
        var name = dns.Count > 0 ? dns[0] : cert.GetNameInfo(X509NameType.SimpleName, false);
        return $"for {name}";
    }

    private static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        if (days >= 1) return days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");
        var hours = Math.Max(1, (int)Math.Floor(span.TotalHours));
        return hours == 1 ? "1 hour" : string.Create(CultureInfo.InvariantCulture, $"{hours} hours");
    }
}
