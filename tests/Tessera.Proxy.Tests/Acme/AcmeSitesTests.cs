using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Tessera.Acme.Server;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Tessera.Proxy.Acme;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests.Acme;

/// <summary>
/// Sites whose certificates the proxy gets itself, from Tessera's own ACME server (`tessera ca serve`, in process):
/// two sites by SNI, one validated through tls-alpn-01 on the proxy's TLS listener and one through http-01 on its
/// plain-HTTP listener (which redirects everything else), served to clients that trust the CA; a restart serves the
/// stored certificates without a new order; a renewal the CA's ARI window asks for is swapped in under load with no
/// failed handshake.
/// </summary>
public sealed class AcmeSitesTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-acme-").FullName;
    private readonly int _tlsPort = Ports.Free();
    private readonly int _httpPort = Ports.Free();
    private readonly ConcurrentQueue<string> _caLog = new();
    private readonly ConcurrentQueue<string> _events = new();
    private LocalCa _ca = null!;
    private AcmeServerHost _server = null!;
    private TrustStore _trust = null!;

    public async Task InitializeAsync()
    {
        _ca = LocalCa.Init(Path.Combine(_folder, "ca"), KeyType.EcdsaP256, "Proxy ACME CA", force: false);
        _trust = TrustStore.FromCertificates(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_ca.RootFile)));
        _server = await AcmeServerHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new AcmeServerOptions
        {
            Ca = _ca,
            TlsPort = _tlsPort,
            HttpPort = _httpPort,
            Hosts = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase) { ["alpn.test"] = IPAddress.Loopback, ["http.test"] = IPAddress.Loopback },
            RenewalInfoRetryAfter = TimeSpan.FromSeconds(1),
            Log = _caLog.Enqueue,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private ProxyConfiguration Configuration(int backend) => new()
    {
        Listeners =
        [
            new ProxyListenerConfiguration
            {
                Name = "main",
                Listen = new HostPort("127.0.0.1", _tlsPort),
                Sites =
                [
                    new ProxySiteConfiguration { Name = "alpn", ServerNames = ["alpn.test"], Backend = new HostPort("127.0.0.1", backend), Ocsp = false, Acme = Settings("tls-alpn-01") },
                    new ProxySiteConfiguration { Name = "http", ServerNames = ["http.test"], Backend = new HostPort("127.0.0.1", backend), Ocsp = false, Acme = Settings("http-01") },
                ],
            },
        ],
        Acme = new ProxyAcmeOptions { Storage = Path.Combine(_folder, "store"), HttpListen = new HostPort("127.0.0.1", _httpPort), RetryAfterFailure = TimeSpan.FromSeconds(1) },
    };

    private ProxyAcmeSettings Settings(string challenge) => new()
    {
        Directory = _server.Server.DirectoryUrl,
        Email = "ops@test.example",
        Challenge = challenge,
        Profile = "shortlived",
        CaFile = _ca.RootFile,
    };

    private int Issued => _caLog.Count(l => l.StartsWith("issued ", StringComparison.Ordinal));

    [Fact]
    public async Task Two_Sites_Get_Their_Certificates_Through_Tls_Alpn_And_Http_And_A_Restart_Orders_Nothing()
    {
        await using var backend = new EchoBackend();
        var client = new TlsClientOptions { TrustStore = _trust };
        // A dry run before anything is stored: both sites would be ordered at start.
        var plan = await ProxyAcmePlan.DescribeAsync(Configuration(backend.Port));
        Assert.Equal(2, plan.Count);
        Assert.All(plan, line => Assert.Contains("nothing valid is stored", line, StringComparison.Ordinal));
        await using (var host = new ProxyHost(() => Configuration(backend.Port), new ProxyHostOptions { Events = e => _events.Enqueue(e.Message) }))
        {
            host.Start();
            using var stopFirst = new CancellationTokenSource();
            var running = host.RunAsync(TimeSpan.FromSeconds(1), stopFirst.Token);
            Assert.Equal("CN=alpn.test", await WhenServedAsync("alpn.test", client));
            Assert.Equal("CN=http.test", await WhenServedAsync("http.test", client));
            Assert.Contains(_caLog, l => l == "tls-alpn-01 for alpn.test: valid");
            Assert.Contains(_caLog, l => l == "http-01 for http.test: valid");
            Assert.Equal(2, Issued);

            // The meter says when each site renews next (in the future: the certificates are fresh).
            var due = new ConcurrentDictionary<string, double>();
            using (var meters = new System.Diagnostics.Metrics.MeterListener())
            {
                meters.InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == ProxyMetrics.MeterName && instrument.Name == "tessera.proxy.certificate.renewal.due") l.EnableMeasurementEvents(instrument);
                };
                meters.SetMeasurementEventCallback<double>((_, value, tags, _) => due[(string)Tag(tags, "site")!] = value);
                meters.Start();
                var until = DateTime.UtcNow + Timeout;
                while (due.Count < 2 && DateTime.UtcNow < until)
                {
                    meters.RecordObservableInstruments();
                    await Task.Delay(100);
                }
            }
            Assert.InRange(due["alpn"], TimeSpan.FromDays(3).TotalSeconds, TimeSpan.FromDays(6).TotalSeconds);
            Assert.InRange(due["http"], TimeSpan.FromDays(3).TotalSeconds, TimeSpan.FromDays(6).TotalSeconds);

            // The plain-HTTP listener redirects what is not a challenge.
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var redirect = await http.GetAsync($"http://127.0.0.1:{host.AcmeHttpEndPoint!.Port}/shop?id=1");
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal("https://127.0.0.1/shop?id=1", redirect.Headers.Location!.AbsoluteUri);

            // openssl s_client agrees, trusting the CA's root.
            using var sClient = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{_tlsPort} -servername http.test -CAfile {_ca.RootFile} -verify_return_error -brief");
            sClient.StandardInput.Close();
            Assert.True(await sClient.WaitForExitAsync(Timeout) == 0, sClient.AllOutput);
            Assert.Contains("Verification: OK", sClient.AllOutput, StringComparison.Ordinal);
            await stopFirst.CancelAsync();
            await running;
        }

        await using (var restarted = new ProxyHost(() => Configuration(backend.Port), new ProxyHostOptions { Events = e => _events.Enqueue(e.Message) }))
        {
            restarted.Start();
            using var stopSecond = new CancellationTokenSource();
            var running = restarted.RunAsync(TimeSpan.FromSeconds(1), stopSecond.Token);
            Assert.Equal("CN=alpn.test", await RoundTripAsync("alpn.test", client));
            Assert.Equal("CN=http.test", await RoundTripAsync("http.test", client));
            Assert.Contains(_events, e => e.StartsWith("site 'alpn': serving the stored certificate", StringComparison.Ordinal));
            var serial = restarted.Certificates!.Status.Single(st => st.Site == "alpn").Serial!;
            var stored = await ProxyAcmePlan.DescribeAsync(Configuration(backend.Port));
            Assert.Contains(stored, line => line.StartsWith("site 'alpn' on 127.0.0.1:", StringComparison.Ordinal) && line.Contains($"serves stored serial {serial} until", StringComparison.Ordinal)
                && line.Contains("alpn.test from https://127.0.0.1:", StringComparison.Ordinal) && line.Contains("by tls-alpn-01, profile shortlived", StringComparison.Ordinal));
            await stopSecond.CancelAsync();
            await running;
        }
        Assert.Equal(2, Issued);
    }

    [Fact]
    public async Task A_Renewal_Asked_For_By_Ari_Is_Swapped_In_Under_Load_With_No_Failed_Handshake()
    {
        await using var backend = new EchoBackend();
        var client = new TlsClientOptions { TrustStore = _trust, SessionStore = null };
        await using var host = new ProxyHost(() => Configuration(backend.Port), new ProxyHostOptions { Events = e => _events.Enqueue(e.Message) });
        host.Start();
        using var stopHost = new CancellationTokenSource();
        var running = host.RunAsync(TimeSpan.FromSeconds(1), stopHost.Token);
        await WhenServedAsync("alpn.test", client);
        var first = host.Certificates!.Status.Single(s => s.Site == "alpn").Serial!;

        var serials = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (tcp, tls) = await Clients.ConnectAsync(_tlsPort, client, "alpn.test");
                    using (tcp)
                    await using (tls)
                        serials.AddOrUpdate(tls.Connection.PeerCertificates[0].SerialNumber.ToLowerInvariant(), 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is TlsException or IOException or System.Net.Sockets.SocketException)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToArray();

        long renewed = 0;
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProxyMetrics.MeterName && instrument.Name == "tessera.proxy.certificate.renewals") l.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if ((string?)Tag(tags, "site") == "alpn" && (string?)Tag(tags, "result") == "success") Interlocked.Add(ref renewed, value);
        });
        meters.Start();
        AcmeServerState.AdvanceRenewal(_ca, first, TimeProvider.System);
        var deadline = DateTime.UtcNow + Timeout;
        while (serials.Keys.All(s => s == first) && DateTime.UtcNow < deadline) await Task.Delay(100);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(serials.Keys.Count(s => s != first) == 1, $"serials seen: {string.Join(", ", serials)}; events: {string.Join(" | ", _events)}");
        Assert.Empty(failures);
        Assert.True(serials[first] > 0);
        Assert.Contains(_caLog, l => l.Contains("replacing ", StringComparison.Ordinal));
        Assert.Equal(1, Interlocked.Read(ref renewed));
        await stopHost.CancelAsync();
        await running;
    }

    private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var t in tags) if (t.Key == name) return t.Value;
        return null;
    }

    /// <summary>Polls until the site's certificate is served (the order runs in the background), then round-trips through it.</summary>
    private async Task<string> WhenServedAsync(string name, TlsClientOptions client)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return await RoundTripAsync(name, client);
            }
            catch (TlsException e) when (DateTime.UtcNow < deadline && e.Alert == Wire.AlertDescription.UnrecognizedName)
            {
                await Task.Delay(200);
            }
            catch (Exception e) when (e is not TlsException)
            {
                throw new InvalidOperationException($"{e.Message}; proxy: {string.Join(" | ", _events)}; CA: {string.Join(" | ", _caLog)}", e);
            }
        }
    }

    private async Task<string> RoundTripAsync(string name, TlsClientOptions client)
    {
        var (tcp, tls) = await Clients.ConnectAsync(_tlsPort, client, name);
        using (tcp)
        await using (tls)
        {
            var line = Encoding.ASCII.GetBytes("ping\n");
            await tls.WriteAsync(line);
            var echoed = await Clients.ReadAsync(tls, line.Length, Timeout);
            Assert.Equal("ping\n", Encoding.ASCII.GetString(echoed));
            return tls.Connection.PeerCertificates[0].Subject;
        }
    }
}
