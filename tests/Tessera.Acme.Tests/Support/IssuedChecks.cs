using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.Acme.Tests.Support;

/// <summary>What every certificate from Pebble must pass: Tessera's verifier and `openssl verify`, both under Pebble's root (/roots/0).</summary>
public static class IssuedChecks
{
    public static async Task VerifyUnderPebblesRootAsync(Pebble pebble, AcmeCertificate issued, string name)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(issued.ChainPem);
        Assert.True(chain.Count >= 2, "Pebble sends the leaf and its intermediate");
        var tag = Guid.NewGuid().ToString("N");
        var rootFile = Path.Combine(pebble.Folder, $"root-{tag}.pem");
        File.WriteAllText(rootFile, await pebble.RootPemAsync());
        new TesseraCertificateVerifier(TrustStore.FromPemFile(rootFile), RevocationMode.Off, profile: VerificationProfile.Rfc5280)
            .Verify(new CertificateVerificationRequest([.. chain], name, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));

        var leafFile = Path.Combine(pebble.Folder, $"leaf-{tag}.pem");
        var intermediates = Path.Combine(pebble.Folder, $"intermediates-{tag}.pem");
        File.WriteAllText(leafFile, chain[0].ExportCertificatePem());
        File.WriteAllText(intermediates, string.Concat(chain.Skip(1).Select(c => c.ExportCertificatePem() + "\n")));
        using var verify = Peer.Start("openssl", $"verify -CAfile {rootFile} -untrusted {intermediates} {leafFile}");
        Assert.True(await verify.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, verify.AllOutput);
        Assert.Contains(": OK", verify.AllOutput, StringComparison.Ordinal);
    }
}
