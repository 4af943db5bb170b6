using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Server.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Server.Tests;

/// <summary>
/// Tessera's own ACME client against the server: a shortlived certificate, its ARI window read and moved to now by
/// the operator, the early renewal with <c>replaces</c>; IP addresses only under shortlived; dns-01 for a name and its
/// wildcard through pebble-challtestsrv as the validation resolver; and a restart that keeps accounts and certificates.
/// </summary>
public sealed class TesseraClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_Shortlived_Certificate_Renews_Early_With_Replaces_After_Its_Window_Is_Advanced()
    {
        const string name = "ari.test.example";
        await using var ca = await AcmeCa.StartAsync([name]);
        using var client = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await client.CreateAccountAsync(["mailto:ops@test.example"], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(ca.HttpPort);
        using var key = CaKey.Create(KeyType.EcdsaP256);

        var first = await client.IssueAsync([name], responder.Tokens, key, profile: "shortlived").WaitAsync(Timeout);
        var lifetime = first.Leaf.NotAfter - first.Leaf.NotBefore;
        Assert.InRange(lifetime, TimeSpan.FromDays(6), TimeSpan.FromDays(6) + TimeSpan.FromMinutes(6));   // validity starts 5 minutes back

        // The window: from two thirds to three quarters of the lifetime; not due now.
        var window = await client.GetRenewalWindowAsync(first.Leaf).WaitAsync(Timeout);
        Assert.NotNull(window);
        var notBefore = new DateTimeOffset(first.Leaf.NotBefore.ToUniversalTime());
        Assert.Equal(notBefore + lifetime * 2 / 3, window.Start, TimeSpan.FromSeconds(1));
        Assert.Equal(notBefore + lifetime * 3 / 4, window.End, TimeSpan.FromSeconds(1));
        Assert.InRange(window.CheckAgainAfter!.Value - DateTimeOffset.UtcNow, TimeSpan.FromHours(6) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(6));
        Assert.False(RenewalPolicy.Decide(notBefore, first.Leaf.NotAfter.ToUniversalTime(), window, DateTimeOffset.UtcNow, new Random(1)).RenewNow);

        var serial = first.Leaf.SerialNumber.ToLowerInvariant();
        AcmeServerState.AdvanceRenewal(ca.Ca, serial, TimeProvider.System);
        var advanced = await client.GetRenewalWindowAsync(first.Leaf).WaitAsync(Timeout);
        Assert.True(advanced!.End <= DateTimeOffset.UtcNow);
        Assert.True(RenewalPolicy.Decide(notBefore, first.Leaf.NotAfter.ToUniversalTime(), advanced, DateTimeOffset.UtcNow, new Random(1)).RenewNow);

        using var renewalKey = CaKey.Create(KeyType.EcdsaP256);
        var renewed = await client.IssueAsync([name], responder.Tokens, renewalKey, replaces: first.Leaf, profile: "shortlived").WaitAsync(Timeout);
        Assert.NotEqual(serial, renewed.Leaf.SerialNumber.ToLowerInvariant());
        var ariId = AriCertificateId.Of(first.Leaf)!;
        Assert.Contains(ca.Log, l => l.StartsWith($"issued {renewed.Leaf.SerialNumber.ToLowerInvariant()} for {name}", StringComparison.Ordinal) && l.EndsWith($"replacing {ariId})", StringComparison.Ordinal));
        var order = Directory.EnumerateFiles(Path.Combine(ca.Ca.Directory, "acme", "orders")).Select(File.ReadAllText).Single(o => o.Contains(renewed.Leaf.SerialNumber.ToLowerInvariant(), StringComparison.Ordinal));
        Assert.Contains($"\"Replaces\": \"{ariId}\"", order, StringComparison.Ordinal);

        // A certificate is replaced once: a second order replacing it is refused.
        var again = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync([name], responder.Tokens, renewalKey, replaces: first.Leaf).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:alreadyReplaced", again.ProblemType);
    }

    [Fact]
    public async Task Ip_Addresses_Are_Issued_Under_Shortlived_And_Refused_Under_Classic()
    {
        await using var ca = await AcmeCa.StartAsync([]);
        using var client = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(ca.HttpPort);
        using var key = CaKey.Create(KeyType.EcdsaP256);

        var refused = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["127.0.0.1"], responder.Tokens, key).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", refused.ProblemType);
        var unknown = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["127.0.0.1"], responder.Tokens, key, profile: "tlsserver").WaitAsync(Timeout));
        Assert.Contains("it offers classic, shortlived", unknown.Message, StringComparison.Ordinal);

        // The client's meter counts each request by resource, method and status (other tests' requests may add to it).
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AcmeMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? resource = null, method = null, status = null;
            foreach (var t in tags)
                switch (t.Key)
                {
                    case "resource": resource = (string?)t.Value; break;
                    case "method": method = (string?)t.Value; break;
                    case "status": status = (string?)t.Value; break;
                }
            counted.AddOrUpdate($"{resource} {method} {status}", value, (_, n) => n + value);
        });
        meters.Start();
        var issued = await client.IssueAsync(["127.0.0.1"], responder.Tokens, key, profile: "shortlived").WaitAsync(Timeout);
        Assert.True(counted.GetValueOrDefault("newOrder POST 201") >= 1, string.Join(", ", counted));
        Assert.True(counted.GetValueOrDefault("object POST 200") >= 3, string.Join(", ", counted));   // authorization, challenge, finalize, certificate …
        Assert.Equal([System.Net.IPAddress.Loopback], issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        var pem = Path.Combine(ca.Folder, "ip.pem");
        await File.WriteAllTextAsync(pem, issued.ChainPem);
        await ExternalClients.OpensslVerifiesAsync(ca, pem);
    }

    [Fact]
    public async Task Dns01_Validates_A_Name_And_Its_Wildcard_Through_The_Configured_Resolver()
    {
        using var dns = new ChallTestSrv();
        await using var ca = await AcmeCa.StartAsync([], dns.Resolver);
        using var client = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        using var key = CaKey.Create(KeyType.EcdsaP256);
        var issued = await client.IssueAsync(["dns.test.example", "*.dns.test.example"], new Dns01Solver(dns), key).WaitAsync(Timeout);
        Assert.Equal(["*.dns.test.example", "dns.test.example"],
            issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Order(StringComparer.Ordinal));

        // A TXT record that is not the digest: the challenge fails, and says what it found.
        var wrong = new WrongTxt(dns);
        var failed = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["bad.dns.test.example"], new Dns01Solver(wrong), key).WaitAsync(Timeout));
        Assert.Contains("not-the-digest", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Restart_Keeps_Accounts_And_Certificates()
    {
        const string name = "restart.test.example";
        await using var ca = await AcmeCa.StartAsync([name]);
        using var accountKey = AcmeAccountKey.CreateEs256();
        AcmeCertificate issued;
        Uri account;
        using (var client = new AcmeClient(ca.Directory, accountKey, new AcmeClientOptions { Trust = ca.Trust }))
        {
            account = (await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout)).Url;
            await using var responder = new StandaloneHttp01Responder(ca.HttpPort);
            using var key = CaKey.Create(KeyType.EcdsaP256);
            issued = await client.IssueAsync([name], responder.Tokens, key).WaitAsync(Timeout);
        }

        await ca.RestartAsync();
        using var after = new AcmeClient(ca.Directory, accountKey, new AcmeClientOptions { Trust = ca.Trust });
        var found = await after.FindAccountAsync().WaitAsync(Timeout);
        Assert.Equal(account.AbsolutePath, found.Url.AbsolutePath);
        var window = await after.GetRenewalWindowAsync(issued.Leaf).WaitAsync(Timeout);
        Assert.NotNull(window);
        await after.RevokeAsync(issued.Leaf, reason: 4).WaitAsync(Timeout);
        Assert.True(ca.Ca.RevokedSerials().ContainsKey(issued.Leaf.SerialNumber.ToLowerInvariant()));
    }

    [Fact]
    public async Task Revocation_By_The_Certificate_Key_Works_And_By_Another_Account_Does_Not()
    {
        const string name = "revoke.test.example";
        await using var ca = await AcmeCa.StartAsync([name]);
        using var owner = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await owner.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(ca.HttpPort);
        using var key = CaKey.Create(KeyType.EcdsaP256);
        var issued = await owner.IssueAsync([name], responder.Tokens, key).WaitAsync(Timeout);
        var serial = issued.Leaf.SerialNumber.ToLowerInvariant();

        using var stranger = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await stranger.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        var refused = await Assert.ThrowsAsync<AcmeException>(() => stranger.RevokeAsync(issued.Leaf).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:unauthorized", refused.ProblemType);
        Assert.False(ca.Ca.RevokedSerials().ContainsKey(serial));

        // Anyone holding the certificate's key may revoke it, account or not (§7.6).
        await stranger.RevokeWithCertificateKeyAsync(issued.Leaf, key, reason: 1).WaitAsync(Timeout);
        Assert.Equal(1, ca.Ca.RevokedSerials()[serial].Reason);
        var twice = await Assert.ThrowsAsync<AcmeException>(() => owner.RevokeAsync(issued.Leaf).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:alreadyRevoked", twice.ProblemType);

        // A revoked certificate's renewal window has passed: ARI clients replace it at once.
        var window = await owner.GetRenewalWindowAsync(issued.Leaf).WaitAsync(Timeout);
        Assert.True(window!.End <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Certificates_Per_Name_Are_Limited_But_Renewals_With_Replaces_Are_Not()
    {
        const string name = "busy.test.example";
        await using var ca = await AcmeCa.StartAsync([name], configure: o => new AcmeServerOptions
        {
            Ca = o.Ca, HttpPort = o.HttpPort, TlsPort = o.TlsPort, Hosts = o.Hosts, Log = o.Log, CrlListen = o.CrlListen,
            CertificatesPerIdentifier = 1, RateWindow = TimeSpan.FromHours(24),
        });
        using var client = new AcmeClient(ca.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = ca.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(ca.HttpPort);
        using var key = CaKey.Create(KeyType.EcdsaP256);
        var first = await client.IssueAsync([name], responder.Tokens, key).WaitAsync(Timeout);

        var limited = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync([name], responder.Tokens, key).WaitAsync(Timeout));
        Assert.Equal("urn:ietf:params:acme:error:rateLimited", limited.ProblemType);
        Assert.Contains($"for {name}", limited.Message, StringComparison.Ordinal);

        var renewed = await client.IssueAsync([name], responder.Tokens, key, replaces: first.Leaf).WaitAsync(Timeout);
        Assert.NotEqual(first.Leaf.SerialNumber, renewed.Leaf.SerialNumber);
    }

    private sealed class WrongTxt(IDns01Provider inner) : IDns01Provider
    {
        public Task PresentAsync(string name, string value, CancellationToken cancellationToken) => inner.PresentAsync(name, "not-the-digest", cancellationToken);
        public Task CleanupAsync(string name, string value, CancellationToken cancellationToken) => inner.CleanupAsync(name, value, cancellationToken);
    }
}
