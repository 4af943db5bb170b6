using System.Collections.Concurrent;
using System.Net;
using Tessera.Acme.Server;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Tessera.Proxy.Acme;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Tessera.Redis.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests.Acme;

/// <summary>
/// Two proxy instances with the same ACME sites, sharing one redis-server, behind a round-robin balancer that is
/// where the CA's validator connects: exactly one order per name (the other instance waits for the lock holder's
/// certificate), both instances serve the same certificate, and tls-alpn-01 is answered by whichever instance the
/// validator reaches (the answer is in Redis); an instance started later serves the fleet's certificate without ordering.
/// </summary>
public sealed class AcmeFleetTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-fleet-acme-").FullName;
    private readonly RedisServer _redis = new();
    private readonly int _portA = Ports.Free();
    private readonly int _portB = Ports.Free();
    private readonly ConcurrentQueue<string> _caLog = new();
    private RoundRobinBalancer _balancer = null!;
    private LocalCa _ca = null!;
    private AcmeServerHost _server = null!;
    private TrustStore _trust = null!;
    private string _sealing = null!;

    public async Task InitializeAsync()
    {
        _balancer = new RoundRobinBalancer(_portA, _portB);
        _ca = LocalCa.Init(Path.Combine(_folder, "ca"), KeyType.EcdsaP256, "Fleet ACME CA", force: false);
        _trust = TrustStore.FromCertificates(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_ca.RootFile)));
        _sealing = Path.Combine(_folder, "redis.key");
        await File.WriteAllTextAsync(_sealing, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        _server = await AcmeServerHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new AcmeServerOptions
        {
            Ca = _ca,
            TlsPort = _balancer.Port,
            Hosts = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase) { ["one.fleet.test"] = IPAddress.Loopback, ["two.fleet.test"] = IPAddress.Loopback },
            RenewalInfoRetryAfter = TimeSpan.FromSeconds(1),
            Log = _caLog.Enqueue,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _balancer.DisposeAsync();
        _redis.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ProxyConfiguration Configuration(int port, string instance, int backend) => new()
    {
        Listeners =
        [
            new ProxyListenerConfiguration
            {
                Name = "main",
                Listen = new HostPort("127.0.0.1", port),
                Sites =
                [
                    new ProxySiteConfiguration { Name = "one", ServerNames = ["one.fleet.test"], Backend = new HostPort("127.0.0.1", backend), Ocsp = false, Acme = Settings() },
                    new ProxySiteConfiguration { Name = "two", ServerNames = ["two.fleet.test"], Backend = new HostPort("127.0.0.1", backend), Ocsp = false, Acme = Settings() },
                ],
            },
        ],
        Redis = new ProxyRedisConfiguration { Configuration = _redis.Address, KeyFile = _sealing },
        Acme = new ProxyAcmeOptions { Storage = Path.Combine(_folder, instance), RetryAfterFailure = TimeSpan.FromSeconds(1) },
    };

    private ProxyAcmeSettings Settings() => new() { Directory = _server.Server.DirectoryUrl, Challenge = "tls-alpn-01", CaFile = _ca.RootFile };

    [Fact]
    public async Task One_Order_Per_Name_Both_Instances_Serve_It_And_A_Late_Instance_Orders_Nothing()
    {
        await using var backend = new EchoBackend();
        var events = new ConcurrentQueue<string>();
        var answered = new ConcurrentQueue<string>();
        await using var a = new ProxyHost(() => Configuration(_portA, "a", backend.Port), new ProxyHostOptions { Events = e => events.Enqueue("a " + e.Message), Connections = r => Answered(r, "a", answered) });
        await using var b = new ProxyHost(() => Configuration(_portB, "b", backend.Port), new ProxyHostOptions { Events = e => events.Enqueue("b " + e.Message), Connections = r => Answered(r, "b", answered) });
        a.Start();
        b.Start();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(a.RunAsync(TimeSpan.FromSeconds(1), stop.Token), b.RunAsync(TimeSpan.FromSeconds(1), stop.Token));
        var client = new TlsClientOptions { TrustStore = _trust, SessionStore = null };

        foreach (var name in new[] { "one.fleet.test", "two.fleet.test" })
        {
            var serialA = await SerialWhenServedAsync(_portA, name, client, events);
            var serialB = await SerialWhenServedAsync(_portB, name, client, events);
            Assert.Equal(serialA, serialB);
            Assert.Single(_caLog, l => l.StartsWith("issued ", StringComparison.Ordinal) && l.Contains($" for {name} ", StringComparison.Ordinal));
        }
        Assert.Contains(events, e => e.Contains("from the fleet's store", StringComparison.Ordinal));
        // The balancer alternates: each instance answered one of the two validations, whichever of them had ordered.
        Assert.Equal(["a", "b"], answered.Order(StringComparer.Ordinal));

        // A third instance started now finds both certificates in Redis and orders nothing.
        var c = Ports.Free();
        await using (var late = new ProxyHost(() => Configuration(c, "c", backend.Port), new ProxyHostOptions { Events = e => events.Enqueue("c " + e.Message) }))
        {
            late.Start();
            using var stopLate = new CancellationTokenSource();
            var lateRunning = late.RunAsync(TimeSpan.FromSeconds(1), stopLate.Token);
            Assert.Equal(await SerialWhenServedAsync(_portA, "one.fleet.test", client, events), await SerialWhenServedAsync(c, "one.fleet.test", client, events));
            await stopLate.CancelAsync();
            await lateRunning;
        }
        Assert.Equal(2, _caLog.Count(l => l.StartsWith("issued ", StringComparison.Ordinal)));
        Assert.DoesNotContain(events, e => e.StartsWith("c site", StringComparison.Ordinal) && e.Contains("': ordering", StringComparison.Ordinal));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task With_Redis_Stopped_In_A_Renewal_Window_Serving_Goes_On_And_The_Renewal_Is_Ordered_Once_When_It_Returns()
    {
        await using var backend = new EchoBackend();
        var events = new ConcurrentQueue<string>();
        await using var a = new ProxyHost(() => Configuration(_portA, "a", backend.Port), new ProxyHostOptions { Events = e => events.Enqueue("a " + e.Message) });
        await using var b = new ProxyHost(() => Configuration(_portB, "b", backend.Port), new ProxyHostOptions { Events = e => events.Enqueue("b " + e.Message) });
        a.Start();
        b.Start();
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(a.RunAsync(TimeSpan.FromSeconds(1), stop.Token), b.RunAsync(TimeSpan.FromSeconds(1), stop.Token));
        var client = new TlsClientOptions { TrustStore = _trust, SessionStore = null };
        var first = await SerialWhenServedAsync(_portA, "one.fleet.test", client, events);
        Assert.Equal(first, await SerialWhenServedAsync(_portB, "one.fleet.test", client, events));

        await _redis.StopAsync();
        AcmeServerState.AdvanceRenewal(_ca, first.ToLowerInvariant(), TimeProvider.System);
        // Both instances find the renewal due and cannot take the fleet's lock: they say so and keep serving.
        var deadline = DateTime.UtcNow + Timeout;
        while (events.Count(e => e.Contains("Redis does not answer", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(first, await SerialWhenServedAsync(_portA, "one.fleet.test", client, events));
        Assert.Equal(first, await SerialWhenServedAsync(_portB, "one.fleet.test", client, events));
        Assert.Single(_caLog, l => l.StartsWith("issued ", StringComparison.Ordinal) && l.Contains(" for one.fleet.test ", StringComparison.Ordinal));

        await _redis.StartAsync();
        string renewedA = first, renewedB = first;
        while ((renewedA == first || renewedB == first) && DateTime.UtcNow < deadline + Timeout)
        {
            await Task.Delay(200);
            renewedA = await SerialWhenServedAsync(_portA, "one.fleet.test", client, events);
            renewedB = await SerialWhenServedAsync(_portB, "one.fleet.test", client, events);
        }
        Assert.True(renewedA != first && renewedA == renewedB, $"a {renewedA}, b {renewedB}, first {first}: {string.Join("\n", events)}");
        Assert.Equal(2, _caLog.Count(l => l.StartsWith("issued ", StringComparison.Ordinal) && l.Contains(" for one.fleet.test ", StringComparison.Ordinal)));
        await stop.CancelAsync();
        await running;
    }

    private static void Answered(ProxyConnectionRecord record, string instance, ConcurrentQueue<string> answered)
    {
        if (record.Detail == "answered an ACME tls-alpn-01 validation") answered.Enqueue(instance);
    }

    private static async Task<string> SerialWhenServedAsync(int port, string name, TlsClientOptions client, ConcurrentQueue<string> events)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                var (tcp, tls) = await Clients.ConnectAsync(port, client, name);
                using (tcp)
                await using (tls)
                    return tls.Connection.PeerCertificates[0].SerialNumber;
            }
            catch (TlsException e) when (e.Alert == Wire.AlertDescription.UnrecognizedName)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"{name} was never served on {port}: {string.Join("\n", events)}");
                await Task.Delay(200);
            }
        }
    }
}
