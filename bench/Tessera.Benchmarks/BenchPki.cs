using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Benchmarks;

/// <summary>A root → intermediate → leaf chain (ECDSA P-256) made once per benchmark process.</summary>
public sealed class BenchPki
{
    public BenchPki()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Bench Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var intKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intRequest = new CertificateRequest("CN=Bench Intermediate", intKey, HashAlgorithmName.SHA256);
        intRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        intRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intRequest.PublicKey, false));
        using (var intermediate = intRequest.Create(Root, now.AddDays(-1), now.AddYears(1), [1, 2, 3]))
            Intermediate = intermediate.CopyWithPrivateKey(intKey);

        LeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=example.test", LeafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("example.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(Intermediate, now.AddDays(-1), now.AddMonths(6), [4, 5, 6]);
        Leaf = leaf.CopyWithPrivateKey(LeafKey);
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 Leaf { get; }
    public ECDsa LeafKey { get; }
}
