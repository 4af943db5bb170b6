using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Proxy.Tests.Support;

/// <summary>Writes a certificate with its key as the PEM files a proxy configuration names.</summary>
public static class PemPair
{
    /// <summary>Writes NAME.pem and NAME.key into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Certificate, string Key) Write(string folder, string name, X509Certificate2 certificate)
    {
        var cert = Path.Combine(folder, name + ".pem");
        var key = Path.Combine(folder, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the test certificate has no ECDSA or RSA private key");
        using (privateKey) File.WriteAllText(key, privateKey.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }
}
