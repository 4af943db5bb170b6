using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;

namespace Tessera.Cli.Demo;

/// <summary>
/// A certificate authority that lives for one demo run: a root, a server certificate for localhost and
/// 127.0.0.1, and a client certificate for the mutual-TLS scenario. Nothing touches the disk.
/// </summary>
internal sealed class ThrowawayPki : IDisposable
{
    private readonly ECDsa _rootKey;

    public ThrowawayPki()
    {
        _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Tessera Demo Root CA", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Root = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        Server = Issue("CN=localhost", serverAuth: true);
        Client = Issue("CN=demo-client", serverAuth: false);
    }

    public X509Certificate2 Root { get; }
    public TlsCredential Server { get; }
    public TlsCredential Client { get; }
    public TrustStore Trust => TrustStore.FromCertificates(Root);

    private TlsCredential Issue(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), now.AddMinutes(-5), now.AddDays(1), serial);
        return TlsCredential.FromCertificate(issued.CopyWithPrivateKey(key));
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Root.Dispose();
        _rootKey.Dispose();
    }
}
