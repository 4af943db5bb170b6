using System.Text.Json;
using Tessera.Acme.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>
/// Accounts after creation (contact update, key rollover, deactivation), revocation by the account and by the
/// certificate's own key with Pebble reporting the certificate revoked, and External Account Binding with Pebble's
/// example EAB configuration.
/// </summary>
public sealed class AccountAndRevocationTests : IClassFixture<PebbleFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly Pebble _pebble;

    public AccountAndRevocationTests(PebbleFixture fixture) => _pebble = fixture.Pebble;

    private AcmeClient Client(AcmeAccountKey key) => new(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });

    [Fact]
    public async Task A_Key_Rollover_Moves_The_Account_To_The_New_Key_And_The_Old_One_Finds_Nothing()
    {
        var oldKey = AcmeAccountKey.CreateEs256();
        using var newKey = AcmeAccountKey.CreateEs384();
        using var client = Client(oldKey);
        var account = await client.CreateAccountAsync(["mailto:a@test.example"], agreeToTerms: true).WaitAsync(Timeout);
        var oldPem = oldKey.ExportPem();

        await client.RolloverKeyAsync(newKey).WaitAsync(Timeout);
        Assert.Same(newKey, client.AccountKey);
        oldKey.Dispose();
        var updated = await client.UpdateContactAsync(["mailto:b@test.example"]).WaitAsync(Timeout);   // signed with the new key
        Assert.Equal(["mailto:b@test.example"], updated.Contact);

        using (var withNew = Client(AcmeAccountKey.FromPem(newKey.ExportPem())))
            Assert.Equal(account.Url, (await withNew.FindAccountAsync().WaitAsync(Timeout)).Url);
        using var withOld = Client(AcmeAccountKey.FromPem(oldPem));
        var gone = await Assert.ThrowsAsync<AcmeException>(() => withOld.FindAccountAsync().WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:accountDoesNotExist", gone.ProblemType);
    }

    [Fact]
    public async Task A_Deactivated_Account_Can_Order_Nothing_More()
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = Client(key);
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        Assert.Equal("deactivated", (await client.DeactivateAsync().WaitAsync(Timeout)).Status);
        await using var responder = new StandaloneHttp01Responder(Ports.Free());
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var refused = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["deactivated.test.example"], responder.Tokens, certificateKey).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Refused, refused.Failure);
        Assert.Equal("urn:ietf:params:acme:error:unauthorized", refused.ProblemType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_Revoked_Certificate_Is_Reported_Revoked_By_Pebble(bool byCertificateKey)
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = Client(key);
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(_pebble.HttpPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var name = byCertificateKey ? "revoke-by-key.test.example" : "revoke-by-account.test.example";
        var issued = await client.IssueAsync([name], responder.Tokens, certificateKey).WaitAsync(Timeout);
        Assert.Equal("Valid", await StatusAsync(issued.Leaf.SerialNumber));

        if (byCertificateKey)
        {
            // Whoever holds the certificate's key may revoke it, account or not (§7.6).
            using var stranger = Client(AcmeAccountKey.CreateEs256());
            await stranger.RevokeWithCertificateKeyAsync(issued.Leaf, certificateKey, reason: 1).WaitAsync(Timeout);   // keyCompromise
        }
        else
        {
            await client.RevokeAsync(issued.Leaf, reason: 4).WaitAsync(Timeout);   // superseded
        }
        Assert.Equal("Revoked", await StatusAsync(issued.Leaf.SerialNumber));

        var again = await Assert.ThrowsAsync<AcmeException>(() => client.RevokeAsync(issued.Leaf).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:alreadyRevoked", again.ProblemType);
    }

    private async Task<string?> StatusAsync(string serialHex)
    {
        using var http = _pebble.ManagementClient();
        var json = await http.GetStringAsync(new Uri($"https://127.0.0.1:{_pebble.ManagementPort}/cert-status-by-serial/{serialHex}"));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("Status").GetString();
    }

    [Fact]
    public async Task External_Account_Binding_Is_Required_Said_So_And_Accepted_With_The_Cas_Key()
    {
        // Pebble's example EAB configuration (pebble-config-external-account-bindings.json).
        using var pebble = new Pebble(externalAccountKeysJson: """{ "kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W" }""");
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(pebble.Directory, key, new AcmeClientOptions { Trust = pebble.Trust });
        var missing = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Configuration, missing.Failure);
        Assert.Contains("requires External Account Binding", missing.Message, StringComparison.Ordinal);

        var wrong = ExternalAccountBinding.FromBase64Url("kid-1", "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH");
        var refused = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], true, wrong).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Refused, refused.Failure);

        var binding = ExternalAccountBinding.FromBase64Url("kid-1", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");
        Assert.Equal("valid", (await client.CreateAccountAsync([], agreeToTerms: true, binding).WaitAsync(Timeout)).Status);
    }
}
