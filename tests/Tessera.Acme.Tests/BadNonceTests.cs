using Tessera.Acme.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>
/// RFC 8555 §6.5: a badNonce refusal is answered by sending the request again with the nonce that came with it. Against
/// a Pebble that refuses half of all nonces, an account and a certificate are still had, and the retries are counted.
/// </summary>
public sealed class BadNonceTests
{
    [Fact]
    public async Task Half_Of_All_Nonces_Refused_Still_Gets_An_Account_And_A_Certificate()
    {
        using var pebble = new Pebble(nonceRejectPercent: 50);
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(pebble.Directory, key, new AcmeClientOptions { Trust = pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(TimeSpan.FromMinutes(2));
        await using var responder = new StandaloneHttp01Responder(pebble.HttpPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var issued = await client.IssueAsync(["nonce.test.example"], responder.Tokens, certificateKey).WaitAsync(TimeSpan.FromMinutes(2));
        var san = issued.Leaf.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["nonce.test.example"], san.EnumerateDnsNames());
        // A dozen signed requests at 50 %: all of them accepted first time has a chance of 1 in 4096.
        Assert.True(client.BadNonceRetries > 0, "Pebble refused no nonce at 50 %: the retry path was not exercised");
    }
}
