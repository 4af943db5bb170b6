using System.Security.Cryptography.X509Certificates;

namespace Tessera.Certificates;

/// <summary>Everything a verifier needs to judge a peer's chain.</summary>
/// <param name="Chain">The peer's certificates in the order sent; the first is the end-entity.</param>
/// <param name="HostName">The name the client asked for (DNS name or IP literal); null for client certificates.</param>
/// <param name="Purpose">Server or client authentication.</param>
/// <param name="Now">The verification time, from the connection's injected clock.</param>
/// <param name="OcspResponse">A stapled OCSP response for the end-entity, when the peer sent one.</param>
public sealed record CertificateVerificationRequest(
    IReadOnlyList<X509Certificate2> Chain,
    string? HostName,
    CertificatePurpose Purpose,
    DateTimeOffset Now,
    byte[]? OcspResponse = null);
