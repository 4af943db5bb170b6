namespace Tessera.Certificates;

/// <summary>What the peer's certificate must be good for (extendedKeyUsage serverAuth or clientAuth).</summary>
public enum CertificatePurpose
{
    /// <summary>A server's certificate: serverAuth (id-kp-serverAuth).</summary>
    ServerAuthentication,
    /// <summary>A client's certificate: clientAuth (id-kp-clientAuth).</summary>
    ClientAuthentication,
}
