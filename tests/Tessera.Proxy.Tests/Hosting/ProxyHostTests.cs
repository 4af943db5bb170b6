using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Proxy.Tests.Hosting;

/// <summary>The proxy host: starts what a configuration describes, reloads only a configuration that is good in full, keeps resumption across reloads, says why it cannot listen.</summary>
public sealed class ProxyHostTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-host-").FullName;
    private readonly CertificateIssuer _root;
    private readonly TrustStore _trust;
    private readonly (string Certificate, string Key) _a;
    private readonly (string Certificate, string Key) _localhost;

    public ProxyHostTests()
    {
        // The issuer lives as long as the tests (disposed in Dispose), like the folder.
        _root = CertificateIssuer.CreateRoot("Proxy Host Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
        var root = _root;
        _trust = TrustStore.FromCertificates(root.Certificate);
        using var a = root.Issue(["a.test"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        using var localhost = root.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        _a = PemPair.Write(_folder, "a.test", a);
        _localhost = PemPair.Write(_folder, "localhost", localhost);
    }

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ProxyConfiguration Configuration(int aBackend, int defaultBackend, int port = 0, ProxyMode aMode = ProxyMode.Tcp, string[]? aAlpn = null) => new()
    {
        Listeners =
        [
            new ProxyListenerConfiguration
            {
                Name = "main",
                Listen = new HostPort("127.0.0.1", port),
                Sites =
                [
                    new ProxySiteConfiguration { Name = "a", ServerNames = ["a.test"], Certificate = _a.Certificate, Key = _a.Key, Backend = new HostPort("127.0.0.1", aBackend), Mode = aMode, Alpn = aAlpn ?? [], Ocsp = false },
                    new ProxySiteConfiguration { Name = "fallback", Certificate = _localhost.Certificate, Key = _localhost.Key, Backend = new HostPort("127.0.0.1", defaultBackend), Ocsp = false },
                ],
            },
        ],
    };

    [Fact]
    public async Task Sites_Are_Chosen_By_Sni_A_Bad_Reload_Changes_Nothing_And_A_Good_One_Applies_With_Sessions_Kept()
    {
        await using var backendA = new EchoBackend();
        await using var backendA2 = new EchoBackend();
        await using var backendDefault = new EchoBackend();
        var current = Configuration(backendA.Port, backendDefault.Port);
        var events = new List<ProxyHostEvent>();
        await using var host = new ProxyHost(() => current, new ProxyHostOptions { Events = e => { lock (events) events.Add(e); } });
        host.Start();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(TimeSpan.FromSeconds(5), stop.Token);
        var port = host.Listeners[0].LocalEndPoint.Port;
        var client = new TlsClientOptions { TrustStore = _trust };

        Assert.Equal("CN=a.test", await RoundTripAsync(port, "a.test", client));
        Assert.Equal("CN=localhost", await RoundTripAsync(port, "localhost", client));
        Assert.Single(backendA.Received);
        Assert.Single(backendDefault.Received);
        Assert.Contains(_a.Certificate, host.WatchedFiles);

        // A bad configuration (ALPN on an http site) is refused with the setting's name; nothing changes.
        current = Configuration(backendA2.Port, backendDefault.Port, aMode: ProxyMode.Http, aAlpn: ["x"]);
        var refused = Assert.Throws<ProxyHostException>(() => host.Reload());
        Assert.Equal(ProxyHostFailure.Configuration, refused.Failure);
        Assert.Equal("Listeners:main:Sites:a:Alpn is for the tcp mode; the http mode offers h2 and http/1.1", refused.Message);
        // Moving a listener needs a restart.
        current = Configuration(backendA2.Port, backendDefault.Port, port: 1);
        Assert.Contains("moved from 127.0.0.1:0 to 127.0.0.1:1; that needs a restart", Assert.Throws<ProxyHostException>(() => host.Reload()).Message, StringComparison.Ordinal);
        Assert.Equal("CN=a.test", await RoundTripAsync(port, "a.test", client));
        Assert.Equal(2, backendA.Received.Count);
        Assert.Empty(backendA2.Received);

        // A good one: site a's backend moves; the session from before the reload still resumes (the host keeps the ticket keys).
        current = Configuration(backendA2.Port, backendDefault.Port);
        Assert.Contains("site 'a' CN=a.test", host.Reload(), StringComparison.Ordinal);
        Assert.Equal("CN=a.test", await RoundTripAsync(port, "a.test", client, expectResumed: true));
        Assert.Single(backendA2.Received);

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Expired_Or_Soon_Expiring_Certificates_Are_Said_And_Counted_At_Start_And_At_Reload()
    {
        var counted = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Name == "tessera.proxy.certificate.warnings") l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var t in tags) if (t.Key == "reason") lock (counted) counted.Add((string)t.Value!);
        });
        listener.Start();
        var events = new List<ProxyHostEvent>();
        var clock = new ShiftedClock(TimeSpan.FromDays(11));   // both certificates (ten days) have expired on this clock
        await using var host = new ProxyHost(() => Configuration(9, 9), new ProxyHostOptions { Events = e => { lock (events) events.Add(e); }, Clock = clock });
        host.Start();
        lock (events)
        {
            Assert.Equal(2, events.Count(e => e.IsWarning && e.Message.Contains("expired", StringComparison.Ordinal) && e.Message.Contains("clients will refuse it", StringComparison.Ordinal)));
            Assert.Contains(events, e => e.Message.StartsWith("site 'a': certificate CN=a.test serial ", StringComparison.Ordinal));
        }
        lock (counted) Assert.Equal(2, counted.Count(r => r == "expired"));

        // A reload says it again (the operator reloading is the one who must hear it).
        clock.By = TimeSpan.FromDays(5);   // five days left: within the fourteen-day warning
        host.Reload();
        lock (events) Assert.Equal(2, events.Count(e => e.IsWarning && e.Message.Contains("expires", StringComparison.Ordinal) && e.Message.Contains("in 4 days", StringComparison.Ordinal)));
        lock (counted) Assert.True(counted.Count(r => r == "expiring_soon") >= 2);   // other tests' hosts count too: at least ours

        using var future = _root.Issue(["later.test"], client: false, DateTimeOffset.UtcNow.AddDays(20), KeyType.EcdsaP256);
        Assert.Equal("not_yet_valid", CertificateValidity.Check(future.Certificate, DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(14))?.Reason);
        Assert.Null(CertificateValidity.Check(future.Certificate, DateTimeOffset.UtcNow, TimeSpan.FromDays(14)));
    }

    private sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public TimeSpan By { get; set; } = by;
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + By;
    }

    [Fact]
    public async Task A_Port_In_Use_Is_A_Listen_Failure_Naming_The_Address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var host = new ProxyHost(() => Configuration(9, 9, port));
        var e = Assert.Throws<ProxyHostException>(host.Start);
        Assert.Equal(ProxyHostFailure.Listen, e.Failure);
        Assert.Equal($"cannot listen on 127.0.0.1:{port}: address already in use (another process is listening there)", e.Message);
    }

    [Fact]
    public async Task A_Ticket_Rotation_Out_Of_Range_And_A_Bad_Redis_Key_File_Are_Refused_At_Start()
    {
        await using var rotation = new ProxyHost(() => Configuration(9, 9) with { TicketRotation = TimeSpan.FromDays(30) });
        Assert.Equal("TicketRotation must be 1 to 604800 seconds, not 2592000", Assert.Throws<ProxyHostException>(rotation.Start).Message);

        var keyFile = Path.Combine(_folder, "redis.key");
        File.WriteAllText(keyFile, "not hex");
        await using var redis = new ProxyHost(() => Configuration(9, 9) with { Redis = new ProxyRedisConfiguration { Configuration = "127.0.0.1:1", KeyFile = keyFile } });
        var e = Assert.Throws<ProxyHostException>(redis.Start);
        Assert.Equal(ProxyHostFailure.Configuration, e.Failure);
        Assert.Equal($"{keyFile} must hold 64 hex digits (a 32-byte key), e.g. from `openssl rand -hex 32`", e.Message);
    }

    /// <summary>Sends a line through the proxy under <paramref name="serverName"/> and reads the echo; returns the certificate's subject.</summary>
    private static async Task<string> RoundTripAsync(int port, string serverName, TlsClientOptions options, bool expectResumed = false)
    {
        var (tcp, tls) = await Clients.ConnectAsync(port, options, serverName);
        using (tcp)
        await using (tls)
        {
            var line = Encoding.ASCII.GetBytes("ping\n");
            using var deadline = new CancellationTokenSource(Timeout);
            await tls.WriteAsync(line, deadline.Token);
            await tls.ShutdownAsync(deadline.Token);
            var echoed = await Clients.ReadAsync(tls, line.Length, Timeout);
            Assert.Equal("ping\n", Encoding.ASCII.GetString(echoed));
            if (expectResumed) Assert.True(tls.Connection.WasResumed, "the session made before the reload did not resume after it");
            return tls.Connection.PeerCertificates.Count > 0 ? tls.Connection.PeerCertificates[0].Subject : "(resumed: no certificate)";
        }
    }
}
