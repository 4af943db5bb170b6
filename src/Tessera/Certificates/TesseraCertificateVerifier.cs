using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Certificates;

/// <summary>
/// Tessera's own certificate verifier, the same on every OS: parses the peer's chain strictly, builds every
/// candidate path to the trust store (<see cref="PathBuilder"/>), validates it per RFC 5280 (<see cref="PathValidator"/>),
/// matches the host name per RFC 9525 (<see cref="HostnameMatcher"/>), and applies the revocation policy to stapled
/// OCSP and caller-supplied CRLs. It never touches the network.
/// </summary>
public sealed class TesseraCertificateVerifier : ICertificateVerifier
{
    /// <summary>A verifier that trusts <paramref name="trustStore"/>.</summary>
    /// <param name="trustStore">The roots paths must end at.</param>
    /// <param name="revocation">What a stapled OCSP response or a CRL that cannot decide means: off, soft-fail (default) or hard-fail.</param>
    /// <param name="crls">CRLs supplied by the caller (never fetched).</param>
    /// <param name="profile">
    /// The rules chains are held to; null (the default) chooses by purpose: <see cref="VerificationProfile.WebPki"/> for
    /// server certificates, <see cref="VerificationProfile.Rfc5280"/> for client certificates.
    /// </param>
    /// <param name="maxPathLength">
    /// The most certificates a path may have, leaf and root included (default 8); self-issued intermediates (a CA's
    /// re-key certificates) do not count, as RFC 5280 §4.2.1.9 counts, and a separate cap of twice this (at least 16)
    /// bounds the certificates of any path.
    /// </param>
    public TesseraCertificateVerifier(TrustStore trustStore, RevocationMode revocation = RevocationMode.SoftFail, IReadOnlyList<CertificateRevocationList>? crls = null,
        VerificationProfile? profile = null, int maxPathLength = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPathLength, 1);
        TrustStore = trustStore;
        Revocation = revocation;
        Crls = crls ?? [];
        Profile = profile;
        MaxPathLength = maxPathLength;
    }

    /// <summary>The profile chains are held to, or null when it follows the purpose (WebPki for servers, Rfc5280 for clients).</summary>
    public VerificationProfile? Profile { get; }
    /// <summary>The most certificates a path may have, leaf and root included, self-issued intermediates not counted.</summary>
    public int MaxPathLength { get; }

    /// <summary>The profile a request is judged under.</summary>
    public VerificationProfile ProfileFor(CertificatePurpose purpose) =>
        Profile ?? (purpose == CertificatePurpose.ServerAuthentication ? VerificationProfile.WebPki : VerificationProfile.Rfc5280);

    /// <summary>The roots paths must end at.</summary>
    public TrustStore TrustStore { get; }
    /// <summary>The revocation policy.</summary>
    public RevocationMode Revocation { get; }
    /// <summary>The caller's CRLs.</summary>
    public IReadOnlyList<CertificateRevocationList> Crls { get; }

    /// <inheritdoc/>
    public void Verify(CertificateVerificationRequest request)
    {
        if (request.Chain.Count == 0) throw new TlsException(AlertDescription.BadCertificate, "the peer sent no certificate");
        // A chain straight from the wire is parsed from its DER, without loading X509Certificate2s, into the chain's own slots.
        var parsed = request.Chain is PeerCertificateChain peer ? peer.ParseAll() : ParseEach(request.Chain);
        var leaf = parsed[0];
        var profile = ProfileFor(request.Purpose);
        var path = BuildPath(parsed, request, profile);

        if (request.HostName is { } host && !HostnameMatcher.Matches(leaf.DnsNames, leaf.IpAddresses, host))
        {
            var names = HostnameMatcher.Presented(leaf.DnsNames, leaf.IpAddresses);
            var listed = names.Count == 0 ? "no DNS or IP names (the subject CN is not used)" : PeerText.List(names);
            throw new TlsException(AlertDescription.BadCertificate, $"name '{host}' is not covered: certificate names {listed}");
        }

        if (Revocation != RevocationMode.Off) CheckRevocation(path, request);
    }

    private static ParsedCertificate[] ParseEach(IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain)
    {
        var parsed = new ParsedCertificate[chain.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            try
            {
                parsed[i] = ParsedCertificate.Parse(chain[i]);
            }
            catch (TlsException e)
            {
                throw new TlsException(AlertDescription.BadCertificate, $"certificate {i} in the peer's chain is malformed: {e.Message}", false, e);
            }
        }
        return parsed;
    }

    private CertificatePath BuildPath(IReadOnlyList<ParsedCertificate> parsed, CertificateVerificationRequest request, VerificationProfile profile)
    {
        try
        {
            return new PathBuilder(TrustStore, parsed, request.Purpose, request.Now, profile, MaxPathLength).Build();
        }
        catch (TlsException refused) when (profile == VerificationProfile.WebPki && PassesUnder(VerificationProfile.Rfc5280, parsed, request))
        {
            // Only on failure: the chain passes under RFC 5280 alone, so the sentence says so and names the option; a
            // private PKI's operator learns the fix rather than only the rule.
            throw new TlsException(refused.Alert,
                $"{refused.Message}; the chain would pass under the RFC 5280 profile (for a private PKI: --profile rfc5280, or CertificateProfile = VerificationProfile.Rfc5280)",
                false, refused);
        }
    }

    private bool PassesUnder(VerificationProfile profile, IReadOnlyList<ParsedCertificate> parsed, CertificateVerificationRequest request)
    {
        try
        {
            new PathBuilder(TrustStore, parsed, request.Purpose, request.Now, profile, MaxPathLength).Build();
            return true;
        }
        catch (TlsException)
        {
            return false;   // refused under this profile too: the first sentence stands alone
        }
    }

    private void CheckRevocation(CertificatePath path, CertificateVerificationRequest request)
    {
        var certs = path.Certificates;
        // Every certificate below the anchor: the leaf from the staple or a CRL, intermediates from CRLs.
        for (var i = certs.Count - 1; i >= 1; i--)
        {
            var cert = certs[i];
            var issuer = certs[i - 1];
            var isLeaf = i == certs.Count - 1;
            var known = false;

            if (isLeaf && request.OcspResponse is { } staple)
            {
                try
                {
                    switch (OcspStaple.Check(staple, cert, issuer, request.Now))
                    {
                        case OcspStatus.Good: known = true; break;
                        case OcspStatus.Revoked: throw CertificateRevocationList.Revoked(cert, "its stapled OCSP response");
                        case OcspStatus.Unknown: break;
                    }
                }
                catch (TlsException e) when (e.Alert == AlertDescription.BadCertificateStatusResponse && Revocation == RevocationMode.SoftFail)
                {
                    // Soft-fail: an unusable staple is no information, as if none had been sent.
                }
            }

            foreach (var crl in Crls)
            {
                // A CRL with a defect (no cRLNumber, a critical one, an unprocessable critical extension) or from an issuer
                // without cRLSign is not believed: it decides nothing either way (RFC 5280 §6.3.3).
                if (crl.Defect is not null || !crl.IssuerName.Span.SequenceEqual(cert.IssuerName.Span) || !crl.IsSignedBy(issuer)) continue;
                if (!crl.IsFresh(request.Now)) continue;
                if (crl.Lists(cert)) throw CertificateRevocationList.Revoked(cert, $"the CRL of '{issuer.Subject.Name}'");
                known = true;
            }

            if (!known && isLeaf && Revocation == RevocationMode.HardFail)
                throw new TlsException(AlertDescription.BadCertificateStatusResponse,
                    $"the revocation status of certificate for {cert.DisplayName} is unknown (no valid stapled OCSP response or CRL), and the policy is hard-fail");
        }
    }
}
