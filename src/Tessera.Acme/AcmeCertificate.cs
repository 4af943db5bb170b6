using System.Security.Cryptography.X509Certificates;

namespace Tessera.Acme;

/// <summary>A certificate an ACME CA issued: the chain as it sent it, and where the other chains are.</summary>
/// <param name="ChainPem">The leaf, then the intermediates, as PEM (application/pem-certificate-chain, §7.4.2).</param>
/// <param name="Leaf">The leaf, parsed.</param>
/// <param name="Url">The certificate URL (for revocation and ARI).</param>
/// <param name="AlternateChains">The URLs of the same certificate with other chains (Link rel="alternate").</param>
public sealed record AcmeCertificate(string ChainPem, X509Certificate2 Leaf, Uri Url, IReadOnlyList<Uri> AlternateChains);
