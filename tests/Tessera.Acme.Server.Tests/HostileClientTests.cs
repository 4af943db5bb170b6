using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Server.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Server.Tests;

/// <summary>
/// Requests a server must refuse (RFC 8555 §6): each gets a problem document of the right type and changes nothing —
/// a replayed nonce, a JWS signed by another account's key, a url header for another resource, a body over the cap,
/// a CSR naming what the order does not or carrying a small key, orders past the rate limit, accounts without the
/// External Account Binding the CA requires.
/// </summary>
public sealed class HostileClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const string Problem = "urn:ietf:params:acme:error:";

    [Fact]
    public async Task A_Replayed_Nonce_Is_BadNonce_And_Creates_Nothing()
    {
        await using var ca = await AcmeCa.StartAsync([]);
        using var raw = new RawAcme(ca);
        using var key = AcmeAccountKey.CreateEs256();
        var nonce = await raw.NonceAsync();
        var created = await raw.PostAsync("/acme/new-account", key, null, """{"termsOfServiceAgreed":true}""", nonce);
        Assert.Equal(HttpStatusCode.Created, created.Status);

        using var other = AcmeAccountKey.CreateEs256();
        var replayed = await raw.PostAsync("/acme/new-account", other, null, """{"termsOfServiceAgreed":true}""", nonce);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.Status);
        Assert.Equal(Problem + "badNonce", replayed.ProblemType);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(ca.Ca.Directory, "acme", "accounts")));

        var invented = await raw.PostAsync("/acme/new-account", other, null, """{"termsOfServiceAgreed":true}""", "bm90LWEtbm9uY2U");
        Assert.Equal(Problem + "badNonce", invented.ProblemType);
    }

    [Fact]
    public async Task A_Jws_Signed_By_Another_Accounts_Key_Or_For_Another_Url_Is_Refused()
    {
        await using var ca = await AcmeCa.StartAsync(["victim.test.example"]);
        using var raw = new RawAcme(ca);
        using var victim = AcmeAccountKey.CreateEs256();
        using var attacker = AcmeAccountKey.CreateEs256();
        var victimUrl = (await raw.PostAsync("/acme/new-account", victim, null, "{}")).Location!;
        Assert.NotNull((await raw.PostAsync("/acme/new-account", attacker, null, "{}")).Location);
        const string order = """{"identifiers":[{"type":"dns","value":"victim.test.example"}]}""";

        var forged = await raw.PostAsync("/acme/new-order", attacker, victimUrl, order);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(Problem + "malformed", forged.ProblemType);
        Assert.Contains("JWS verification error", forged.Detail, StringComparison.Ordinal);

        var elsewhere = await raw.PostAsync("/acme/new-order", victim, victimUrl, order, urlHeader: raw.Url("/acme/new-account").AbsoluteUri);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.Status);
        Assert.Equal(Problem + "unauthorized", elsewhere.ProblemType);

        var jwkWhereKidBelongs = await raw.PostAsync("/acme/new-order", victim, null, order);
        Assert.Equal(Problem + "malformed", jwkWhereKidBelongs.ProblemType);

        var noSuchAccount = await raw.PostAsync("/acme/new-order", victim, raw.Url("/acme/acct/nobody"), order);
        Assert.Equal(Problem + "accountDoesNotExist", noSuchAccount.ProblemType);

        Assert.False(Directory.Exists(Path.Combine(ca.Ca.Directory, "acme", "orders")));

        var works = await raw.PostAsync("/acme/new-order", victim, victimUrl, order);
        Assert.Equal(HttpStatusCode.Created, works.Status);
    }

    [Fact]
    public async Task An_Oversized_Or_Malformed_Body_Is_Refused()
    {
        await using var ca = await AcmeCa.StartAsync([]);
        using var raw = new RawAcme(ca);
        var huge = await raw.SendAsync("/acme/new-account", new byte[AcmeServer.MaxBodyBytes + 10]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal(Problem + "malformed", huge.ProblemType);

        var notJson = await raw.SendAsync("/acme/new-account", "{\"protected\":"u8.ToArray());
        Assert.Equal(Problem + "malformed", notJson.ProblemType);

        using var key = AcmeAccountKey.CreateEs256();
        var unprotectedHeader = await raw.SendAsync("/acme/new-account", """{"protected":"e30","payload":"","signature":"","header":{"alg":"none"}}"""u8.ToArray());
        Assert.Equal(Problem + "malformed", unprotectedHeader.ProblemType);
        Assert.False(Directory.Exists(Path.Combine(ca.Ca.Directory, "acme", "accounts")));
    }

    [Fact]
    public async Task A_Csr_For_Other_Names_Or_With_A_Small_Key_Is_BadCsr_And_The_Order_Stays_Ready()
    {
        const string name = "csr.test.example";
        await using var ca = await AcmeCa.StartAsync([name]);
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(ca.Directory, key, new AcmeClientOptions { Trust = ca.Trust });
        var account = (await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout)).Url;
        await using (var responder = new StandaloneHttp01Responder(ca.HttpPort))
        using (var first = CaKey.Create(KeyType.EcdsaP256))
            await client.IssueAsync([name], responder.Tokens, first).WaitAsync(Timeout);

        // The authorization is reused, so a new order for the same name is ready at once.
        using var raw = new RawAcme(ca);
        var order = await raw.PostAsync("/acme/new-order", key, account, $$"""{"identifiers":[{"type":"dns","value":"{{name}}"}]}""");
        Assert.Equal("ready", order.Json()!.Value.GetProperty("status").GetString());
        var finalize = new Uri(order.Json()!.Value.GetProperty("finalize").GetString()!).AbsolutePath;

        using (var other = CaKey.Create(KeyType.EcdsaP256))
        {
            var wrongNames = await raw.PostAsync(finalize, key, account, Csr(other.CreateSigningRequest([name, "other.test.example"])));
            Assert.Equal(Problem + "badCSR", wrongNames.ProblemType);
            Assert.Contains("other.test.example", wrongNames.Detail, StringComparison.Ordinal);
        }
        using (var rsa = RSA.Create(1024))
        {
            var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            var small = await raw.PostAsync(finalize, key, account, Csr(request.CreateSigningRequest()));
            Assert.Equal(Problem + "badCSR", small.ProblemType);
            Assert.Contains("1024", small.Detail, StringComparison.Ordinal);
        }
        using (var good = CaKey.Create(KeyType.EcdsaP256))
        {
            var csr = good.CreateSigningRequest([name]);
            csr[^1] ^= 1;   // a signature that does not verify
            Assert.Equal(Problem + "badCSR", (await raw.PostAsync(finalize, key, account, Csr(csr))).ProblemType);
        }
        var after = await raw.PostAsync(new Uri(order.Location!.AbsoluteUri).AbsolutePath, key, account, null);
        Assert.Equal("ready", after.Json()!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Orders_Past_The_Limit_Are_RateLimited_With_Retry_After()
    {
        await using var ca = await AcmeCa.StartAsync([], configure: o => new AcmeServerOptions
        {
            Ca = o.Ca, HttpPort = o.HttpPort, TlsPort = o.TlsPort, Hosts = o.Hosts, Log = o.Log,
            OrdersPerAccount = 2, RateWindow = TimeSpan.FromHours(1),
        });
        using var raw = new RawAcme(ca);
        using var key = AcmeAccountKey.CreateEs256();
        var account = (await raw.PostAsync("/acme/new-account", key, null, "{}")).Location!;
        const string order = """{"identifiers":[{"type":"dns","value":"limited.test.example"}]}""";
        Assert.Equal(HttpStatusCode.Created, (await raw.PostAsync("/acme/new-order", key, account, order)).Status);
        Assert.Equal(HttpStatusCode.Created, (await raw.PostAsync("/acme/new-order", key, account, order)).Status);
        var limited = await raw.PostAsync("/acme/new-order", key, account, order);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(Problem + "rateLimited", limited.ProblemType);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(ca.Ca.Directory, "acme", "orders")).Count());
    }

    [Fact]
    public async Task External_Account_Binding_Is_Required_Once_A_Key_Exists_And_Binds_Once()
    {
        await using var ca = await AcmeCa.StartAsync([]);
        var mac = AcmeServerState.AddExternalAccountKey(ca.Ca, "team-a");
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(ca.Directory, key, new AcmeClientOptions { Trust = ca.Trust });

        var missing = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout));
        Assert.Contains("External Account Binding", missing.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], true, new ExternalAccountBinding("team-a", new byte[32])).WaitAsync(Timeout));
        Assert.Equal(Problem + "unauthorized", wrong.ProblemType);

        var created = await client.CreateAccountAsync([], true, ExternalAccountBinding.FromBase64Url("team-a", mac)).WaitAsync(Timeout);
        Assert.Equal("valid", created.Status);
        using var second = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        var reused = await Assert.ThrowsAsync<AcmeException>(() => second.CreateAccountAsync([], true, ExternalAccountBinding.FromBase64Url("team-a", mac)).WaitAsync(Timeout));
        Assert.Contains("bound to another account", reused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollover_And_Deactivation_Change_Which_Key_Speaks_For_The_Account()
    {
        await using var ca = await AcmeCa.StartAsync([]);
        var oldKey = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(ca.Directory, oldKey, new AcmeClientOptions { Trust = ca.Trust });
        var account = (await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout)).Url;
        using var newKey = AcmeAccountKey.CreateEs256();
        await client.RolloverKeyAsync(newKey).WaitAsync(Timeout);

        using var raw = new RawAcme(ca);
        var byOld = await raw.PostAsync(account.AbsolutePath, oldKey, account, null);
        Assert.Equal(Problem + "malformed", byOld.ProblemType);
        var byNew = await raw.PostAsync(account.AbsolutePath, newKey, account, null);
        Assert.Equal(HttpStatusCode.OK, byNew.Status);

        await client.DeactivateAsync().WaitAsync(Timeout);
        var afterwards = await raw.PostAsync("/acme/new-order", newKey, account, """{"identifiers":[{"type":"dns","value":"x.test.example"}]}""");
        Assert.Equal(HttpStatusCode.Forbidden, afterwards.Status);
        Assert.Equal(Problem + "unauthorized", afterwards.ProblemType);
    }

    private static string Csr(byte[] der) => $$"""{"csr":"{{System.Buffers.Text.Base64Url.EncodeToString(der)}}"}""";
}
