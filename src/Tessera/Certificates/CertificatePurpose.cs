#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Certificates;

/// <summary>What the peer's certificate must be good for (extendedKeyUsage serverAuth or clientAuth).</summary>
public enum CertificatePurpose
{
    ServerAuthentication,
    ClientAuthentication,
}
