using System.Net;
using System.Net.Sockets;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Redis.Tests.Support;
using Tessera.Proxy.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// What the command line adds to the fleet: `--redis`, `--redis-key`, `--ticket-rotation` and `--early-data` reach the
/// proxy host (alone or joined to `--config`), and two `tessera proxy` instances sharing one redis-server resume each
/// other's sessions. The fleet's behaviour itself (rotation under load, a Redis outage, 0-RTT replay across
/// instances) is tested on the host, in Tessera.Proxy.Tests' FleetTests.
/// </summary>
[Collection("tessera home")]
public sealed class ProxyFleetTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-fleet-").FullName;

    [Theory]
    [InlineData("-tls1_3", false)]
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
    public void Redis_Ticket_Rotation_And_Early_Data_Flags_Map_Onto_The_Host_Configuration_And_Join_A_File()
    {
        var (cert, keyFile, sealing) = WriteFleetFiles();
        var flags = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0), CertFile = cert, KeyFile = keyFile, Backend = new Endpoint("127.0.0.1", 9),
            Redis = _redis.Address, RedisKeyFile = sealing, TicketRotation = TimeSpan.FromSeconds(90), EarlyData = 1024,
        };
        var fromFlags = ProxyCommand.Configuration(flags);
        Assert.Equal(_redis.Address, fromFlags.Redis?.Configuration);
        Assert.Equal(sealing, fromFlags.Redis?.KeyFile);
        Assert.Equal(TimeSpan.FromSeconds(90), fromFlags.TicketRotation);
        Assert.Equal(1024, Assert.Single(Assert.Single(fromFlags.Listeners).Sites).EarlyData);

        // --redis and --ticket-rotation join a configuration file that sets neither, and are named as flags there.
        var file = Path.Combine(_folder, "proxy.json");
        File.WriteAllText(file, $$"""
            { "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "site": { "Certificate": "srv.pem", "Key": "srv.key", "Backend": "127.0.0.1:9" } } } } }
            """);
        var joined = ProxyCommand.Configuration(new ProxySettings { ConfigFile = file, Redis = _redis.Address, TicketRotation = TimeSpan.FromSeconds(90) });
        Assert.Equal(_redis.Address, joined.Redis?.Configuration);
        Assert.Equal(TimeSpan.FromSeconds(90), joined.TicketRotation);
        Assert.Equal("--ticket-rotation", joined.Name(new Tessera.Proxy.Hosting.ProxySetting(null, null, "TicketRotation")));

        File.WriteAllText(file, $$"""
            { "TicketRotation": 60, "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "site": { "Certificate": "srv.pem", "Key": "srv.key", "Backend": "127.0.0.1:9" } } } } }
            """);
        var both = Assert.Throws<CliException>(() => ProxyCommand.Configuration(new ProxySettings { ConfigFile = file, TicketRotation = TimeSpan.FromSeconds(90) }));
        Assert.Equal((ExitCodes.Usage, $"the ticket rotation is set both by --ticket-rotation and in {file}; keep one"), (both.ExitCode, both.Message));
        var keyAlone = Assert.Throws<CliException>(() => ProxyCommand.Configuration(flags with { Redis = null }));
        Assert.Equal("--redis-key goes with --redis", keyAlone.Message);
    }

    [Fact]
    public async Task A_Ticket_Rotation_Out_Of_Range_Is_Refused_Naming_The_Flag()
    {
        var (cert, keyFile, _) = WriteFleetFiles();
        var stderr = new StringWriter();
        var exit = await ProxyCommand.RunAsync(new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0), CertFile = cert, KeyFile = keyFile, Backend = new Endpoint("127.0.0.1", 9),
            TicketRotation = TimeSpan.FromDays(30),
        }, new StringWriter(), stderr, null, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("tessera proxy: --ticket-rotation must be 1 to 604800 seconds, not 2592000", stderr.ToString().Trim());
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

    private async Task<(Task<int> Run, int Port)> StartAsync(string cert, string key, string sealing, TcpListener backend, StringWriter log, bool viaConfigFile, CancellationToken stop)
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
                  "Redis": { "Configuration": "{{_redis.Address}}", "KeyFile": "{{Path.GetFileName(sealing)}}" },
                  "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": {
                    "site": { "Certificate": "{{Path.GetFileName(cert)}}", "Key": "{{Path.GetFileName(key)}}", "Backend": "127.0.0.1:{{backendPort}}" } } } }
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
            };
        }
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, new StringWriter(), log, p => bound.TrySetResult(p), stop));
        return (run, await bound.Task.WaitAsync(Timeout));
    }

    private static Task<string> SClientAsync(string arguments, string? sessionFile) => SClient.RunAsync(arguments, TestHome.DevRoot, sessionFile, Timeout);

    public void Dispose()
    {
        _redis.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
