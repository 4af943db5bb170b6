namespace Tessera.Certificates;

/// <summary>What the peer's certificate must be good for (extendedKeyUsage serverAuth or clientAuth).</summary>
public enum CertificatePurpose
{
    ServerAuthentication,
    ClientAuthentication,
}
