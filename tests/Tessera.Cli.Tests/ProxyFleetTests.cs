using System.Net;
using System.Net.Sockets;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Redis.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>Two `tessera proxy` instances sharing one redis-server (`--redis`): a session from one resumes on the other.</summary>
[Collection("tessera home")]
public sealed class ProxyFleetTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-fleet-").FullName;

    [Theory]
    [InlineData("-tls1_3", false)]
    [InlineData("-tls1_2", false)]
    [InlineData("-tls1_3", true)]
    public async Task A_Session_From_Instance_A_Resumes_On_Instance_B(string version, bool viaConfigFile)
    {
        var (cert, keyFile, sealing) = WriteFleetFiles();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();

        using var stop = new CancellationTokenSource();
        var logA = new StringWriter();
        var logB = new StringWriter();
        var (runA, portA) = await StartAsync(cert, keyFile, sealing, backend, logA, viaConfigFile, stop.Token);
        var (runB, portB) = await StartAsync(cert, keyFile, sealing, backend, logB, viaConfigFile, stop.Token);

        var session = Path.Combine(_folder, $"session{version}.pem");
        // TLS 1.3 tickets come after the handshake: s_client stays until it has written the session it was given (its
        // stdout is block-buffered into a pipe, so the file, not its "ticket arrived" line, is what can be waited for).
        var first = await SClientAsync($"-connect 127.0.0.1:{portA} -servername localhost {version} -sess_out {session}", session);
        Assert.Contains("New,", first);
        var second = await SClientAsync($"-connect 127.0.0.1:{portB} -servername localhost {version} -sess_in {session}", null);
        Assert.Contains("Reused,", second);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await runA.WaitAsync(Timeout));
        Assert.Equal(ExitCodes.Success, await runB.WaitAsync(Timeout));
        Assert.DoesNotContain("does not answer", logA.ToString() + logB.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Redis_Stopped_A_Running_Bench_Sees_No_Failure_And_Sessions_Are_Shared_Again_When_It_Returns()
    {
        var (cert, keyFile, sealing) = WriteFleetFiles();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);   // each relayed connection ends at once, so bench's clients finish
        var logA = new StringWriter();
        var logB = new StringWriter();
        var (runA, portA) = await StartAsync(cert, keyFile, sealing, backend, logA, false, stop.Token);
        var (runB, portB) = await StartAsync(cert, keyFile, sealing, backend, logB, false, stop.Token);

        // Redis goes away while tessera bench makes full and resumed TLS 1.2 handshakes (sessions live in Redis).
        var bench = BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", portB),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = 4,
            Duration = TimeSpan.FromSeconds(3),
            Resume = true,
            Tls12Only = true,
        }, CancellationToken.None);
        await Task.Delay(700);
        await _redis.StopAsync();
        var result = await bench.WaitAsync(Timeout);
        Assert.True(result.Errors == 0, $"{result.Errors} handshakes failed with Redis gone, first: {string.Join("; ", result.FirstErrors)}");
        Assert.True(result.Handshakes > 20, $"only {result.Handshakes} handshakes");
        // Resumed TLS 1.2 handshakes here use tickets, opened with keys the instance holds, so the outage is noticed by
        // the next use of Redis: at the latest the key ring's refresh (every 10 s).
        var noticed = DateTime.UtcNow + Timeout;
        while (!ProxyCommandTests.Snapshot(logB).Contains("does not answer", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < noticed, "the outage was never logged");
            await Task.Delay(100);
        }
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(ProxyCommandTests.Snapshot(logB), "does not answer"));   // said once, not once per operation

        await _redis.StartAsync();
        var session = Path.Combine(_folder, "after.pem");
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            // The multiplexer reconnects in the background; until then sessions are simply not shared.
            File.Delete(session);
            // Session IDs, not tickets (-no_ticket): the session itself has to travel through Redis.
            await SClientAsync($"-connect 127.0.0.1:{portA} -servername localhost -tls1_2 -no_ticket -sess_out {session}", session);
            if ((await SClientAsync($"-connect 127.0.0.1:{portB} -servername localhost -tls1_2 -no_ticket -sess_in {session}", null)).Contains("Reused,", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, "sessions were not shared again after Redis came back");
            await Task.Delay(200);
        }
        Assert.Contains("answers again", logB.ToString(), StringComparison.Ordinal);   // B saw the outage, and says when it ended

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await runA.WaitAsync(Timeout));
        Assert.Equal(ExitCodes.Success, await runB.WaitAsync(Timeout));
        await closing.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ticket_Keys_Rotate_Across_Two_Instances_While_Bench_Runs_And_Older_Tickets_Still_Resume(bool viaConfigFile)
    {
        var (cert, keyFile, sealing) = WriteFleetFiles();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);
        // A 4-second rotation: tickets are issued for 8 s (two rotations, what the fleet's keys are sure to open).
        var rotation = TimeSpan.FromSeconds(4);
        var logA = new StringWriter();
        var logB = new StringWriter();
        var (runA, portA) = await StartAsync(cert, keyFile, sealing, backend, logA, viaConfigFile, stop.Token, rotation);
        var (runB, portB) = await StartAsync(cert, keyFile, sealing, backend, logB, viaConfigFile, stop.Token, rotation);
        await using var balancer = new RoundRobinBalancer(portA, portB);

        var before = Path.Combine(_folder, "before.pem");
        await SClientAsync($"-connect 127.0.0.1:{portA} -servername localhost -tls1_3 -sess_out {before}", before);
        var issued = DateTime.UtcNow;
        var firstKey = await TicketKeyName(before);

        // Behind the balancer every client's next connection lands on the other instance, and resumes there.
        const int clients = 4;
        var bench = BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", balancer.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = clients,
            Duration = rotation * 2.5,
            Resume = true,
            Tls13Only = true,
        }, CancellationToken.None);

        // Wait for B to seal with a newer key than the one A sealed the first ticket with: the fleet has rotated.
        var after = Path.Combine(_folder, "after.pem");
        while (true)
        {
            File.Delete(after);
            await SClientAsync($"-connect 127.0.0.1:{portB} -servername localhost -tls1_3 -sess_out {after}", after);
            if (await TicketKeyName(after) != firstKey) break;
            Assert.True(DateTime.UtcNow - issued < rotation * 2, "the ticket key did not change within two rotation intervals");
            await Task.Delay(200);
        }
        // The ticket sealed before the rotation, by the other instance, still resumes within its lifetime.
        var resumed = await SClientAsync($"-connect 127.0.0.1:{portB} -servername localhost -tls1_3 -sess_in {before}", null);
        Assert.True(DateTime.UtcNow - issued < rotation * 2, "too slow to check the older ticket within its lifetime");
        Assert.Contains("Reused,", resumed);

        var result = await bench.WaitAsync(Timeout);
        Assert.True(result.Errors == 0, $"{result.Errors} handshakes failed across the rotation, first: {string.Join("; ", result.FirstErrors)}");
        Assert.True(result.Handshakes > 40, $"only {result.Handshakes} handshakes");
        // Each client's first handshake is full; every later one resumed, whichever instance and key generation issued its ticket.
        Assert.Equal(result.Handshakes - clients, result.Resumed);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await runA.WaitAsync(Timeout));
        Assert.Equal(ExitCodes.Success, await runB.WaitAsync(Timeout));
        await closing.WaitAsync(Timeout);
        Assert.DoesNotContain("does not answer", logA.ToString() + logB.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Zero_Rtt_Flight_Accepted_By_Instance_A_Gets_No_Early_Data_Accepted_When_Replayed_To_Instance_B()
    {
        var (cert, keyFile, sealing) = WriteFleetFiles();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        var closing = CloseEachAsync(backend, stop.Token);   // connections end (and are logged) as soon as they are relayed
        var (logA, logB) = (new StringWriter(), new StringWriter());
        var (connectionsA, connectionsB) = (new StringWriter(), new StringWriter());
        var (runA, portA) = await StartAsync(cert, keyFile, sealing, backend, logA, false, stop.Token, earlyData: 16_384, connections: connectionsA);
        var (runB, portB) = await StartAsync(cert, keyFile, sealing, backend, logB, false, stop.Token, earlyData: 16_384, connections: connectionsB);

        var first = Path.Combine(_folder, "first.pem");
        var second = Path.Combine(_folder, "second.pem");
        var early = Path.Combine(_folder, "early.txt");
        File.WriteAllText(early, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await SClientAsync($"-connect 127.0.0.1:{portA} -servername localhost -tls1_3 -sess_out {first}", first);

        // openssl s_client sends 0-RTT data to A through a relay that keeps what it sent: A accepts it.
        byte[] flight;
        await using (var relay = new RoundRobinBalancer(portA))
        {
            var accepted = await SClientAsync($"-connect 127.0.0.1:{relay.Port} -servername localhost -tls1_3 -sess_in {first} -early_data {early} -sess_out {second}", second);
            Assert.Contains("Early data was accepted", accepted);
            flight = relay.FromClients;
        }
        await WaitForLineAsync(connectionsA, "0rtt=accepted");

        // The same bytes, replayed to B: B opens the ticket (the fleet shares its keys) but has seen the flight through
        // Redis, so it refuses the early data.
        using (var replay = new TcpClient())
        {
            await replay.ConnectAsync(IPAddress.Loopback, portB);
            var stream = replay.GetStream();
            await stream.WriteAsync(flight);
            replay.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[16 * 1024];
            using var read = new CancellationTokenSource(Timeout);
            while (await stream.ReadAsync(sink, read.Token) > 0) { }   // B's flight, then its alert at the replayed Finished
        }
        await WaitForLineAsync(connectionsB, "0rtt=refused");
        Assert.DoesNotContain("0rtt=accepted", Text(connectionsB), StringComparison.Ordinal);

        // The control: a fresh 0-RTT flight from the same client with its new ticket from A is accepted by B, so the
        // refusal above was the replay, not B being unable to take A's sessions.
        var third = Path.Combine(_folder, "third.pem");
        var fresh = await SClientAsync($"-connect 127.0.0.1:{portB} -servername localhost -tls1_3 -sess_in {second} -early_data {early} -sess_out {third}", third);
        Assert.Contains("Early data was accepted", fresh);
        await WaitForLineAsync(connectionsB, "0rtt=accepted");

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await runA.WaitAsync(Timeout));
        Assert.Equal(ExitCodes.Success, await runB.WaitAsync(Timeout));
        await closing.WaitAsync(Timeout);
        Assert.DoesNotContain("does not answer", logA.ToString() + logB.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The connection log so far (ProxyLog writes under the writer's lock).</summary>
    private static string Text(StringWriter log)
    {
        lock (log) return log.ToString();
    }

    private static async Task WaitForLineAsync(StringWriter log, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!Text(log).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no connection line with '{text}':\n{log}");
            await Task.Delay(50);
        }
    }

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

    /// <summary>What every instance of the fleet is given: a localhost pair from the dev CA and the Redis sealing key (64 hex digits).</summary>
    private (string Cert, string Key, string Sealing) WriteFleetFiles()
    {
        TestHome.Ensure();
        var (chain, key, _) = LocalCa.OpenOrCreateDev().Issue(["localhost"], client: false, days: 30, KeyType.EcdsaP256);
        var cert = Path.Combine(_folder, "srv.pem");
        var keyFile = Path.Combine(_folder, "srv.key");
        File.WriteAllText(cert, chain);
        File.WriteAllText(keyFile, key);
        var sealing = Path.Combine(_folder, "redis.key");
        File.WriteAllText(sealing, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return (cert, keyFile, sealing);
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

    private async Task<(Task<int> Run, int Port)> StartAsync(string cert, string key, string sealing, TcpListener backend, StringWriter log, bool viaConfigFile, CancellationToken stop,
        TimeSpan? rotation = null, int earlyData = 0, StringWriter? connections = null)
    {
        var bound = new TaskCompletionSource<int>();
        var backendPort = ((IPEndPoint)backend.LocalEndpoint).Port;
        // The backend never answers: the drain would otherwise wait for the s_client connections.
        var drain = TimeSpan.FromSeconds(1);
        ProxySettings settings;
        if (viaConfigFile)
        {
            var file = Path.Combine(_folder, $"proxy-{Guid.NewGuid():N}.json");
            File.WriteAllText(file, $$"""
                {
                  "Redis": { "Configuration": "{{_redis.Address}}", "KeyFile": "{{Path.GetFileName(sealing)}}" },{{(rotation is { } r ? $"\n  \"TicketRotation\": {r.TotalSeconds}," : "")}}
                  "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": {
                    "site": { "Certificate": "{{Path.GetFileName(cert)}}", "Key": "{{Path.GetFileName(key)}}", "Backend": "127.0.0.1:{{backendPort}}", "EarlyData": {{earlyData}} } } } }
                }
                """);
            settings = new ProxySettings { ConfigFile = file, DrainTimeout = drain };
        }
        else
        {
            settings = new ProxySettings
            {
                Listen = new Endpoint("127.0.0.1", 0),
                CertFile = cert,
                KeyFile = key,
                Backend = new Endpoint("127.0.0.1", backendPort),
                Redis = _redis.Address,
                RedisKeyFile = sealing,
                DrainTimeout = drain,
                TicketRotation = rotation,
                EarlyData = earlyData,
            };
        }
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, connections ?? new StringWriter(), log, p => bound.TrySetResult(p), stop));
        return (run, await bound.Task.WaitAsync(Timeout));
    }

    /// <summary>openssl s_client for one handshake: once <paramref name="sessionFile"/> (if any) is written its stdin is closed; returns what it printed.</summary>
    private static async Task<string> SClientAsync(string arguments, string? sessionFile)
    {
        using var client = Peer.Start("openssl", $"s_client {arguments} -CAfile {TestHome.DevRoot}");
        var deadline = DateTime.UtcNow + Timeout;
        while (sessionFile is not null && !(File.Exists(sessionFile) && new FileInfo(sessionFile).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"s_client wrote no session to {sessionFile}:\n{client.AllOutput}");
            await Task.Delay(50);
        }
        client.StandardInput.Close();
        await client.WaitForExitAsync(Timeout);
        return client.AllOutput;
    }

    public void Dispose()
    {
        _redis.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
