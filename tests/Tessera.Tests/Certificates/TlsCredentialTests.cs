using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Tests.Certificates;

/// <summary>A PEM certificate and key that do not belong together are refused at load, not at every handshake.</summary>
public sealed class TlsCredentialTests
{
    [Fact]
    public void FromPem_RefusesAKeyThatIsNotTheCertificates()
    {
        var root = CertBuilder.Root("Credential Test Root");
        var a = CertBuilder.Leaf(root, dns: ["a.test"]);
        var b = CertBuilder.Leaf(root, dns: ["b.test"]);
        using var aKey = a.GetECDsaPrivateKey()!;
        using var bKey = b.GetECDsaPrivateKey()!;
        using var ok = TlsCredential.FromPem(a.ExportCertificatePem(), aKey.ExportPkcs8PrivateKeyPem());
        Assert.True(ok.MatchesServerName("a.test"));
        var e = Assert.Throws<ArgumentException>(() => TlsCredential.FromPem(a.ExportCertificatePem(), bKey.ExportPkcs8PrivateKeyPem()).Dispose());
        Assert.Contains("does not belong to the certificate CN=a.test", e.Message, StringComparison.Ordinal);
    }
}
