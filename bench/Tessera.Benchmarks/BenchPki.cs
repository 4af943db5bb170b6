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
        // RFC 5280 §4.2.1.1: every certificate that is not self-signed names its issuer's key (the verifier requires it).
        intRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using (var intermediate = intRequest.Create(Root, now.AddDays(-1), now.AddYears(1), [1, 2, 3]))
            Intermediate = intermediate.CopyWithPrivateKey(intKey);

        LeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=example.test", LeafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("example.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        using var leaf = leafRequest.Create(Intermediate, now.AddDays(-1), now.AddMonths(6), [4, 5, 6]);
        Leaf = leaf.CopyWithPrivateKey(LeafKey);
    }

    /// <summary>An RSA-2048 leaf under the same intermediate, for the RSA handshake suite.</summary>
    public X509Certificate2 RsaLeaf => _rsaLeaf ??= IssueRsa();
    private X509Certificate2? _rsaLeaf;

    private X509Certificate2 IssueRsa()
    {
        var now = DateTimeOffset.UtcNow;
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=example.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("example.test");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        // An RSA leaf under an ECDSA issuer needs the explicit signature generator overload.
        using var issuerKey = Intermediate.GetECDsaPrivateKey()!;
        using var leaf = request.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now.AddDays(-1), now.AddMonths(6), [7, 8, 9]);
        return leaf.CopyWithPrivateKey(rsa);
    }

    public X509Certificate2 Root { get; }

    /// <summary>What SslStream clients verify with: this root only, no revocation checks or downloads (no network here).</summary>
    public X509ChainPolicy SslStreamChainPolicy() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        CustomTrustStore = { Root },
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 Leaf { get; }
    public ECDsa LeafKey { get; }
}
