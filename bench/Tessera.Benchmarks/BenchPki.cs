using System.Security.Cryptography.X509Certificates;
using Tessera.Pki;

namespace Tessera.Benchmarks;

/// <summary>
/// A root → intermediate → leaf chain (ECDSA P-256; an RSA-2048 leaf on demand) made once per benchmark process by
/// Tessera.Pki's in-memory <see cref="CertificateIssuer"/>, so the benchmarks use the profile Tessera issues everywhere.
/// </summary>
public sealed class BenchPki
{
    private readonly CertificateIssuer _intermediate;

    public BenchPki()
    {
        var now = DateTimeOffset.UtcNow;
        var root = CertificateIssuer.CreateRoot("Bench Root", KeyType.EcdsaP256, now.AddYears(1), pathLength: null);
        _intermediate = root.CreateIntermediate("Bench Intermediate", KeyType.EcdsaP256, now.AddYears(1), pathLength: 0);
        Root = root.Certificate;
        Intermediate = _intermediate.Certificate;
        using var leaf = _intermediate.Issue(["example.test"], client: false, now.AddMonths(6), KeyType.EcdsaP256);
        Leaf = leaf.WithPrivateKey();
    }

    /// <summary>An RSA-2048 leaf under the same intermediate, for the RSA handshake suite.</summary>
    public X509Certificate2 RsaLeaf => _rsaLeaf ??= IssueRsa();
    private X509Certificate2? _rsaLeaf;

    private X509Certificate2 IssueRsa()
    {
        using var leaf = _intermediate.Issue(["example.test"], client: false, DateTimeOffset.UtcNow.AddMonths(6), KeyType.Rsa2048);
        return leaf.WithPrivateKey();
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

    /// <summary>The intermediate (public part): what a server sends behind its leaf.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The ECDSA P-256 leaf for example.test, with its private key.</summary>
    public X509Certificate2 Leaf { get; }
}
