using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Tessera.Connection;
using Tessera.Wire;
using Tessera.Interop.Tests.Support;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Tessera.Redis.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests.Hosting;

/// <summary>
/// Two proxy hosts sharing one redis-server (a fleet): a session from one resumes on the other, ticket keys rotate
/// across both, a Redis outage costs no handshake, and a 0-RTT flight replayed to the other instance gets no early data.
/// </summary>
public sealed class FleetTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly RedisServer _redis = new();
    private readonly TestPki _pki = new();
    private readonly string _sealing;
    private readonly (string Certificate, string Key) _localhost;

    public FleetTests()
    {
        _localhost = (Path.Combine(_pki.Folder, "localhost.pem"), Path.Combine(_pki.Folder, "localhost.key"));
        File.WriteAllText(_localhost.Certificate, _pki.Leaf.ExportCertificatePem());
        using (var key = _pki.Leaf.GetECDsaPrivateKey()!) File.WriteAllText(_localhost.Key, key.ExportPkcs8PrivateKeyPem());
        _sealing = Path.Combine(_pki.Folder, "redis.key");
        File.WriteAllText(_sealing, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    }

    public void Dispose()
    {
        _redis.Dispose();
        _pki.Dispose();
    }

    [Theory]
    [InlineData("-tls1_3", false)]
    [InlineData("-tls1_2", false)]
    [InlineData("-tls1_3", true)]
    public async Task A_Session_From_Instance_A_Resumes_On_Instance_B(string version, bool viaConfigFile)
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        await using var a = await Instance.StartAsync(Configure(backend, viaConfigFile));
        await using var b = await Instance.StartAsync(Configure(backend, viaConfigFile));

        var session = Path.Combine(_pki.Folder, $"session{version}.pem");
        // TLS 1.3 tickets come after the handshake: s_client stays until it has written the session it was given (its
        // stdout is block-buffered into a pipe, so the file, not its "ticket arrived" line, is what can be waited for).
        Assert.Contains("New,", await SClientAsync($"-connect 127.0.0.1:{a.Port} -servername localhost {version} -sess_out {session}", session));
        Assert.Contains("Reused,", await SClientAsync($"-connect 127.0.0.1:{b.Port} -servername localhost {version} -sess_in {session}", null));
        Assert.DoesNotContain("does not answer", a.EventText + b.EventText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Redis_Stopped_Clients_See_No_Failure_And_Sessions_Are_Shared_Again_When_It_Returns()
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);   // each relayed connection ends at once, so the clients' rounds finish
        await using var a = await Instance.StartAsync(Configure(backend, false));
        await using var b = await Instance.StartAsync(Configure(backend, false));

        // Redis goes away while clients make full and resumed TLS 1.2 handshakes (sessions live in Redis).
        var load = ResumingClients.RunAsync(b.Port, _pki.Client().TrustStore!, ProtocolVersion.Tls12, clients: 4, TimeSpan.FromSeconds(3));
        await Task.Delay(700);
        await _redis.StopAsync();
        var result = await load.WaitAsync(Timeout);
        Assert.True(result.Errors == 0, $"{result.Errors} handshakes failed with Redis gone, first: {string.Join("; ", result.FirstErrors)}");
        Assert.True(result.Handshakes > 20, $"only {result.Handshakes} handshakes");
        // Resumed TLS 1.2 handshakes here use tickets, opened with keys the instance holds, so the outage is noticed by
        // the next use of Redis: at the latest the key ring's refresh (every 10 s).
        var noticed = DateTime.UtcNow + Timeout;
        while (!b.EventText.Contains("does not answer", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < noticed, "the outage was never told");
            await Task.Delay(100);
        }
        Assert.Single(Regex.Matches(b.EventText, "does not answer"));   // said once, not once per operation
        Assert.True(b.Events.Find(e => e.Message.Contains("does not answer", StringComparison.Ordinal)).IsWarning);

        await _redis.StartAsync();
        var session = Path.Combine(_pki.Folder, "after.pem");
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            // The multiplexer reconnects in the background; until then sessions are simply not shared.
            File.Delete(session);
            // Session IDs, not tickets (-no_ticket): the session itself has to travel through Redis.
            await SClientAsync($"-connect 127.0.0.1:{a.Port} -servername localhost -tls1_2 -no_ticket -sess_out {session}", session);
            if ((await SClientAsync($"-connect 127.0.0.1:{b.Port} -servername localhost -tls1_2 -no_ticket -sess_in {session}", null)).Contains("Reused,", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, "sessions were not shared again after Redis came back");
            await Task.Delay(200);
        }
        Assert.Contains("answers again", b.EventText, StringComparison.Ordinal);   // B saw the outage, and says when it ended
        await stop.CancelAsync();
        await closing.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ticket_Keys_Rotate_Across_Two_Instances_Under_Load_And_Older_Tickets_Still_Resume(bool viaConfigFile)
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);
        // A 4-second rotation: tickets are issued for 8 s (two rotations, what the fleet's keys are sure to open).
        var rotation = TimeSpan.FromSeconds(4);
        await using var a = await Instance.StartAsync(Configure(backend, viaConfigFile, rotation));
        await using var b = await Instance.StartAsync(Configure(backend, viaConfigFile, rotation));
        await using var balancer = new RoundRobinBalancer(a.Port, b.Port);

        var before = Path.Combine(_pki.Folder, "before.pem");
        await SClientAsync($"-connect 127.0.0.1:{a.Port} -servername localhost -tls1_3 -sess_out {before}", before);
        var issued = DateTime.UtcNow;
        var firstKey = await TicketKeyName(before);

        // Behind the balancer every client's next connection lands on the other instance, and resumes there.
        const int clients = 4;
        var load = ResumingClients.RunAsync(balancer.Port, _pki.Client().TrustStore!, ProtocolVersion.Tls13, clients, rotation * 2.5);

        // Wait for B to seal with a newer key than the one A sealed the first ticket with: the fleet has rotated.
        var after = Path.Combine(_pki.Folder, "after.pem");
        while (true)
        {
            File.Delete(after);
            await SClientAsync($"-connect 127.0.0.1:{b.Port} -servername localhost -tls1_3 -sess_out {after}", after);
            if (await TicketKeyName(after) != firstKey) break;
            Assert.True(DateTime.UtcNow - issued < rotation * 2, "the ticket key did not change within two rotation intervals");
            await Task.Delay(200);
        }
        // The ticket sealed before the rotation, by the other instance, still resumes within its lifetime.
        var resumed = await SClientAsync($"-connect 127.0.0.1:{b.Port} -servername localhost -tls1_3 -sess_in {before}", null);
        Assert.True(DateTime.UtcNow - issued < rotation * 2, "too slow to check the older ticket within its lifetime");
        Assert.Contains("Reused,", resumed);

        var result = await load.WaitAsync(Timeout);
        Assert.True(result.Errors == 0, $"{result.Errors} handshakes failed across the rotation, first: {string.Join("; ", result.FirstErrors)}");
        Assert.True(result.Handshakes > 40, $"only {result.Handshakes} handshakes");
        // Each client's first handshake is full; every later one resumed, whichever instance and key generation issued its ticket.
        Assert.Equal(result.Handshakes - clients, result.Resumed);
        Assert.DoesNotContain("does not answer", a.EventText + b.EventText, StringComparison.Ordinal);
        await stop.CancelAsync();
        await closing.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_Zero_Rtt_Flight_Accepted_By_Instance_A_Gets_No_Early_Data_Accepted_When_Replayed_To_Instance_B()
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);   // connections end (and are recorded) as soon as they are relayed
        await using var a = await Instance.StartAsync(Configure(backend, false, earlyData: 16_384));
        await using var b = await Instance.StartAsync(Configure(backend, false, earlyData: 16_384));

        var first = Path.Combine(_pki.Folder, "first.pem");
        var second = Path.Combine(_pki.Folder, "second.pem");
        var early = Path.Combine(_pki.Folder, "early.txt");
        File.WriteAllText(early, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await SClientAsync($"-connect 127.0.0.1:{a.Port} -servername localhost -tls1_3 -sess_out {first}", first);

        // openssl s_client sends 0-RTT data to A through a relay that keeps what it sent: A accepts it.
        byte[] flight;
        await using (var relay = new RoundRobinBalancer(a.Port))
        {
            var accepted = await SClientAsync($"-connect 127.0.0.1:{relay.Port} -servername localhost -tls1_3 -sess_in {first} -early_data {early} -sess_out {second}", second);
            Assert.Contains("Early data was accepted", accepted);
            flight = relay.FromClients;
        }
        await a.WaitForConnectionAsync(r => r.EarlyDataAccepted == true);

        // The same bytes, replayed to B: B opens the ticket (the fleet shares its keys) but has seen the flight through
        // Redis, so it refuses the early data.
        using (var replay = new TcpClient())
        {
            await replay.ConnectAsync(IPAddress.Loopback, b.Port);
            var stream = replay.GetStream();
            await stream.WriteAsync(flight);
            replay.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[16 * 1024];
            using var read = new CancellationTokenSource(Timeout);
            while (await stream.ReadAsync(sink, read.Token) > 0) { }   // B's flight, then its alert at the replayed Finished
        }
        await b.WaitForConnectionAsync(r => r.EarlyDataAccepted == false);
        Assert.DoesNotContain(b.Connections, r => r.EarlyDataAccepted == true);

        // The control: a fresh 0-RTT flight from the same client with its new ticket from A is accepted by B, so the
        // refusal above was the replay, not B being unable to take A's sessions.
        var third = Path.Combine(_pki.Folder, "third.pem");
        var fresh = await SClientAsync($"-connect 127.0.0.1:{b.Port} -servername localhost -tls1_3 -sess_in {second} -early_data {early} -sess_out {third}", third);
        Assert.Contains("Early data was accepted", fresh);
        await b.WaitForConnectionAsync(r => r.EarlyDataAccepted == true);
        Assert.DoesNotContain("does not answer", a.EventText + b.EventText, StringComparison.Ordinal);
        await stop.CancelAsync();
        await closing.WaitAsync(Timeout);
    }

    /// <summary>
    /// One instance's configuration: the localhost site in front of <paramref name="backend"/>, with the fleet's Redis
    /// and sealing key — as objects, or written to a configuration file and loaded from it.
    /// </summary>
    private Func<ProxyConfiguration> Configure(TcpListener backend, bool viaConfigFile, TimeSpan? rotation = null, int earlyData = 0)
    {
        var backendPort = ((IPEndPoint)backend.LocalEndpoint).Port;
        if (viaConfigFile)
        {
            var file = Path.Combine(_pki.Folder, $"proxy-{Guid.NewGuid():N}.json");
            File.WriteAllText(file, $$"""
                {
                  "Redis": { "Configuration": "{{_redis.Address}}", "KeyFile": "{{Path.GetFileName(_sealing)}}" },{{(rotation is { } r ? $"\n  \"TicketRotation\": {r.TotalSeconds}," : "")}}
                  "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": {
                    "site": { "Certificate": "{{Path.GetFileName(_localhost.Certificate)}}", "Key": "{{Path.GetFileName(_localhost.Key)}}", "Backend": "127.0.0.1:{{backendPort}}", "EarlyData": {{earlyData}}, "Ocsp": "off" } } } }
                }
                """);
            return () => ProxyConfigurationFile.Load(file);
        }
        var configuration = new ProxyConfiguration
        {
            Redis = new ProxyRedisConfiguration { Configuration = _redis.Address, KeyFile = _sealing },
            TicketRotation = rotation,
            Listeners =
            [
                new ProxyListenerConfiguration
                {
                    Name = "main",
                    Listen = new HostPort("127.0.0.1", 0),
                    Sites = [new ProxySiteConfiguration { Name = "site", Certificate = _localhost.Certificate, Key = _localhost.Key, Backend = new HostPort("127.0.0.1", backendPort), EarlyData = earlyData, Ocsp = false }],
                },
            ],
        };
        return () => configuration;
    }

    /// <summary>A started, running proxy host with what it told (events) and recorded (connections); drains on dispose.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<ProxyHostEvent> _events = [];
        private readonly List<ProxyConnectionRecord> _connections = [];
        private ProxyHost _host = null!;
        private Task _run = Task.CompletedTask;

        public static Task<Instance> StartAsync(Func<ProxyConfiguration> configure)
        {
            var instance = new Instance();
            instance._host = new ProxyHost(configure, new ProxyHostOptions
            {
                Events = e => { lock (instance._events) instance._events.Add(e); },
                Connections = r => { lock (instance._connections) instance._connections.Add(r); },
            });
            instance._host.Start();
            // The backends never answer: the drain would otherwise wait for the s_client connections.
            instance._run = instance._host.RunAsync(TimeSpan.FromSeconds(1), instance._stop.Token);
            return Task.FromResult(instance);
        }

        public int Port => _host.Listeners[0].LocalEndPoint.Port;

        public List<ProxyHostEvent> Events
        {
            get { lock (_events) return [.. _events]; }
        }

        public string EventText => string.Join("\n", Events.ConvertAll(e => e.Message));

        public List<ProxyConnectionRecord> Connections
        {
            get { lock (_connections) return [.. _connections]; }
        }

        public async Task WaitForConnectionAsync(Predicate<ProxyConnectionRecord> match)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!Connections.Exists(match))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no such connection among {Connections.Count}");
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(Timeout);
            await _host.DisposeAsync();
            _stop.Dispose();
        }
    }

    private Task<string> SClientAsync(string arguments, string? sessionFile) => SClient.RunAsync(arguments, _pki.RootPem, sessionFile, Timeout);

    /// <summary>The key name a TLS 1.3 ticket was sealed with: its first 16 bytes (Tessera's ticket format), as openssl prints them.</summary>
    private static async Task<string> TicketKeyName(string sessionFile)
    {
        using var p = Peer.Start("openssl", $"sess_id -in {sessionFile} -noout -text");
        p.StandardInput.Close();
        await p.WaitForExitAsync(Timeout);
        var text = p.AllOutput;
        var at = text.IndexOf("TLS session ticket:", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no ticket in {sessionFile}:\n{text}");
        // "0000 - 3f 2a … -…" lines: the first line holds 16 bytes.
        var line = text[(at + "TLS session ticket:".Length)..].TrimStart().Split('\n')[0];
        var bytes = line[(line.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("", bytes.Take(16));
    }

    /// <summary>A backend that accepts and closes every connection (the proxy then ends the client's with close_notify).</summary>
    private static async Task CloseEachAsync(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
