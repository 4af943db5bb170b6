using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Tests.Support;
using Tessera.Certificates;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>RFC 8555 §7.4.2: a CA with a second root offers the same leaf under another chain (Link rel="alternate"), which downloads and verifies under that root.</summary>
public sealed class AlternateChainTests
{
    [Fact]
    public async Task The_Alternate_Chain_Has_The_Same_Leaf_And_Verifies_Under_The_Second_Root()
    {
        using var pebble = new Pebble(alternateRoots: 1);
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(pebble.Directory, key, new AcmeClientOptions { Trust = pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(TimeSpan.FromMinutes(2));
        await using var responder = new StandaloneHttp01Responder(pebble.HttpPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var issued = await client.IssueAsync(["alt.test.example"], responder.Tokens, certificateKey).WaitAsync(TimeSpan.FromMinutes(2));

        var link = Assert.Single(issued.AlternateChains);
        var alternate = await client.DownloadAlternateChainAsync(issued, link, certificateKey).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(issued.Leaf.RawData, alternate.Leaf.RawData);
        Assert.NotEqual(issued.ChainPem, alternate.ChainPem);

        var secondRoot = Path.Combine(pebble.Folder, "root-1.pem");
        File.WriteAllText(secondRoot, await pebble.RootPemAsync(1));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(alternate.ChainPem);
        new TesseraCertificateVerifier(TrustStore.FromPemFile(secondRoot), RevocationMode.Off, profile: VerificationProfile.Rfc5280)
            .Verify(new CertificateVerificationRequest([.. chain], "alt.test.example", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
    }
}
