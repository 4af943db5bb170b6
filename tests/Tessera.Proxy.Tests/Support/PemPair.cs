using Tessera.Pki;

namespace Tessera.Proxy.Tests.Support;

/// <summary>Writes an issued certificate with its key as the PEM files a proxy configuration names.</summary>
public static class PemPair
{
    /// <summary>Writes NAME.pem and NAME.key into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Certificate, string Key) Write(string folder, string name, IssuedCertificate issued)
    {
        var cert = Path.Combine(folder, name + ".pem");
        var key = Path.Combine(folder, name + ".key");
        File.WriteAllText(cert, issued.CertificatePem);
        File.WriteAllText(key, issued.KeyPem);
        return (cert, key);
    }
}
