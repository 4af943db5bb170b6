using Tessera.Certificates;
using Tessera.Tests.Support;
using Xunit;
using static Tessera.Tests.Support.CertBuilder;

namespace Tessera.Tests.Certificates;

public sealed class TrustStoreTests
{
    [Fact]
    public void Roots_Given_As_Objects_Are_Copied_So_The_Caller_May_Dispose_Its_Own()
    {
        var root = Root("Disposed Root");
        var leaf = Leaf(root);
        var store = TrustStore.FromCertificates(root);
        root.Dispose();   // before any handshake has read the store: what a caller's `using` does
        Assert.NotSame(root, store.Roots[0]);
        new TesseraCertificateVerifier(store).Verify(new CertificateVerificationRequest([leaf], "example.test", CertificatePurpose.ServerAuthentication, Now));
    }

    [Fact]
    public void PemFileAndDirectory_LoadRoots_AndSkipWhatIsNotACertificate()
    {
        var dir = Directory.CreateTempSubdirectory("tessera-trust-");
        try
        {
            var root = Root("Trust Store Root");
            var intermediate = Intermediate("Trust Store Intermediate", root);
            File.WriteAllText(Path.Combine(dir.FullName, "root.pem"), root.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not a certificate");
            File.WriteAllText(Path.Combine(dir.FullName, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

            var fromDir = TrustStore.FromPemDirectory(dir.FullName);
            var fromFile = TrustStore.FromPemFile(Path.Combine(dir.FullName, "root.pem"));
            foreach (var store in new[] { fromDir, fromFile })
                new TesseraCertificateVerifier(store).Verify(new CertificateVerificationRequest(
                    [Leaf(intermediate), intermediate], "example.test", CertificatePurpose.ServerAuthentication, Now));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void SystemStore_IsReadFromTheBundle()
    {
        // CI images carry ca-certificates; the store must parse hundreds of roots without failing on any.
        var system = TrustStore.System;
        Assert.True(system.Roots.Count > 50, $"expected a CA bundle, got {system.Description}");
        var leaf = ParsedCertificate.Parse(system.Roots[0]);
        Assert.True(system.Contains(leaf));
    }
}
