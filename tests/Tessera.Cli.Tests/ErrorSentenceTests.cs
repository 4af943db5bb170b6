using System.Net;
using System.Net.Sockets;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Scan;
using Tessera.Scan;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// Errors are one sentence naming the file, address or key, with the documented exit code — never another library's
/// own text (the configuration library's, System.Text.Json's, the Prometheus exporter's, ArgumentException's
/// "(Parameter 'key')") or an enum name (ConnectionRefused, HostNotFound).
/// </summary>
[Collection("tessera home")]
public sealed class ErrorSentenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Proxy_On_A_Port_In_Use_Names_The_Address()
    {
        var (cert, key) = LocalhostPair();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exit, errors) = await ProxyAsync(new ProxySettings { Listen = new Endpoint("127.0.0.1", port), CertFile = cert, KeyFile = key, Backend = new Endpoint("127.0.0.1", 9) });
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Equal($"tessera proxy: cannot listen on 127.0.0.1:{port}: address already in use (another process is listening there)", errors.Trim());
    }

    [Fact]
    public async Task Serve_On_A_Port_In_Use_Says_So_As_Proxy_Does()
    {
        TestHome.Ensure();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var errors = new StringWriter();
        var exit = await ServeCommand.RunAsync(new ServeSettings { Listen = new Endpoint("127.0.0.1", port) }, new StringWriter(), errors, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Equal($"tessera serve: cannot listen on 127.0.0.1:{port}: address already in use (another process is listening there)", errors.ToString().Trim());
    }

    [Theory]
    [InlineData("in use")]
    [InlineData("not on this machine")]
    [InlineData("no such host")]
    public async Task Proxy_Metrics_On_A_Bad_Address_Says_Why(string what)
    {
        var (cert, key) = LocalhostPair();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var (metrics, why) = what switch
        {
            "in use" => (new Endpoint("127.0.0.1", ((IPEndPoint)taken.LocalEndpoint).Port), "address already in use (another process is listening there)"),
            "not on this machine" => (new Endpoint("192.0.2.1", 9100), "address not available on this machine"),   // TEST-NET-1: never local
            _ => (new Endpoint("no-such-host.invalid", 9100), "no-such-host.invalid does not resolve (host not found)"),
        };
        var (exit, errors) = await ProxyAsync(new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0), CertFile = cert, KeyFile = key, Backend = new Endpoint("127.0.0.1", 9), Metrics = metrics,
        });
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Contains($"tessera proxy: cannot serve metrics on {metrics}: {why}", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("PrometheusExporter", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_With_A_Key_That_Is_Not_The_Certificates_Names_Both_Files()
    {
        var (cert, _) = LocalhostPair();
        var (_, otherKey) = LocalhostPair("other.test");
        var (exit, errors) = await ProxyAsync(new ProxySettings { Listen = new Endpoint("127.0.0.1", 0), CertFile = cert, KeyFile = otherKey, Backend = new Endpoint("127.0.0.1", 9) });
        Assert.Equal(ExitCodes.FileError, exit);
        Assert.Equal($"tessera proxy: cannot load the certificate {cert} with key {otherKey}: the key in {otherKey} does not belong to the certificate in {cert}", errors.Trim());
    }

    [Fact]
    public async Task Proxy_Config_That_Is_Missing_Or_Not_Json_Is_One_Sentence()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-errors-").FullName;
        try
        {
            var missing = Path.Combine(folder, "missing.json");
            var (exit, errors) = await ProxyAsync(new ProxySettings { ConfigFile = missing });
            Assert.Equal(ExitCodes.FileError, exit);
            Assert.Equal($"tessera proxy: cannot read {missing}: there is no such file", errors.Trim());

            var bad = Path.Combine(folder, "bad.json");
            File.WriteAllText(bad, "{\n  bad json");
            (exit, errors) = await ProxyAsync(new ProxySettings { ConfigFile = bad });
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Equal($"tessera proxy: {bad} is not valid JSON at line 2, column 3: a configuration file is one JSON object of listeners and sites", errors.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Scan_Says_Connection_Refused_And_Host_Not_Found_As_Connect_Does()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var errors = new StringWriter();
        var exit = await ScanCommand.RunAsync(new ScanOptions { Target = new HostPort("127.0.0.1", port), ServerName = "localhost" }, json: false, new RecordingConsole().Console, errors, CancellationToken.None);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Equal($"tessera scan: could not connect to 127.0.0.1:{port}: connection refused", errors.ToString().Trim());

        errors = new StringWriter();
        exit = await ScanCommand.RunAsync(new ScanOptions { Target = new HostPort("no-such-host.invalid", 443) }, json: false, new RecordingConsole().Console, errors, CancellationToken.None);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.Equal("tessera scan: could not resolve no-such-host.invalid: host not found", errors.ToString().Trim());
    }

    private static async Task<(int Exit, string Errors)> ProxyAsync(ProxySettings settings)
    {
        var errors = new StringWriter();
        using var stop = new CancellationTokenSource(Timeout);
        var exit = await ProxyCommand.RunAsync(settings, new StringWriter(), errors, null, stop.Token).WaitAsync(Timeout);
        return (exit, errors.ToString());
    }

    private static (string Cert, string Key) LocalhostPair(string name = "localhost")
    {
        TestHome.Ensure();
        var folder = Directory.CreateTempSubdirectory("tessera-errors-pair-").FullName;
        var (chain, key, _) = LocalCa.OpenOrCreateDev().Issue([name], client: false, days: 30, KeyType.EcdsaP256);
        File.WriteAllText(Path.Combine(folder, "c.pem"), chain);
        File.WriteAllText(Path.Combine(folder, "c.key"), key);
        return (Path.Combine(folder, "c.pem"), Path.Combine(folder, "c.key"));
    }
}
