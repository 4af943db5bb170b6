using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Samples.Kestrel;

/// <summary>
/// A development root and a localhost certificate it signs, made once and kept in $TESSERA_HOME/samples (default
/// ~/.tessera/samples), so a client can trust the root across runs. For development only. Kept as these few
/// self-contained lines on purpose, so the sample can be copied with only Tessera.AspNetCore: the CA library
/// (Tessera.Pki's CertificateIssuer, which the demo, tests and benchmarks use) is not a published package yet.
/// </summary>
internal static class DevCertificate
{
    public static (string Certificate, string Key, string Root) EnsureLocalhost()
    {
        var home = Environment.GetEnvironmentVariable("TESSERA_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tessera");
        var dir = Path.Combine(home, "samples");
        Directory.CreateDirectory(dir);
        var (root, cert, key) = (Path.Combine(dir, "root.pem"), Path.Combine(dir, "localhost.pem"), Path.Combine(dir, "localhost.key"));
        if (File.Exists(root) && File.Exists(cert) && File.Exists(key) && X509Certificate2.CreateFromPem(File.ReadAllText(cert)).NotAfter > DateTime.Now.AddDays(7))
            return (cert, key, root);

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Tessera Sample Development Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var rootCert = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(rootCert, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var leaf = leafRequest.Create(rootCert, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), serial);

        File.WriteAllText(root, rootCert.ExportCertificatePem() + "\n");
        File.WriteAllText(cert, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(key, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (cert, key, root);
    }
}
