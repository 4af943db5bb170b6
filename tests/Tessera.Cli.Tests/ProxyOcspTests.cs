using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;

namespace Tessera.Cli.Tests;

/// <summary>`tessera proxy` staples OCSP by default: `openssl ocsp -port` as the responder, `openssl s_client -status` and /metrics as witnesses.</summary>
public sealed class ProxyOcspTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-ocsp-").FullName;

    [Fact]
    public async Task The_Proxy_Staples_A_Good_Response_And_Reports_Its_Age()
    {
        using var root = CertificateIssuer.CreateRoot("CLI OCSP Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
        var responderPort = Ports.Free();
        root.OcspResponder = new Uri($"http://127.0.0.1:{responderPort}/");
        using var issued = root.Issue(["localhost", "127.0.0.1"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        var leaf = issued.Certificate;
        File.WriteAllText(Path.Combine(_folder, "root.pem"), root.CertificatePem);
        File.WriteAllText(Path.Combine(_folder, "root.key"), root.Key.ExportPem());
        File.WriteAllText(Path.Combine(_folder, "chain.pem"), issued.CertificatePem + root.CertificatePem);
        File.WriteAllText(Path.Combine(_folder, "leaf.key"), issued.KeyPem);
        var serial = leaf.SerialNumber.TrimStart('0');
        if (serial.Length % 2 == 1) serial = "0" + serial;
        File.WriteAllText(Path.Combine(_folder, "index.txt"), $"V\t{leaf.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t\t{serial}\tunknown\t/CN=localhost\n");
        using var responder = Peer.Start("openssl", $"ocsp -index index.txt -port {responderPort} -rsigner root.pem -rkey root.key -CA root.pem -nmin 10", _folder);
        // No probe connection: openssl ocsp stays stuck on a connection that closes without a request.
        await responder.WaitForOutputAsync("waiting for OCSP client connections", Timeout);

        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var metricsPort = Ports.Free();
        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<int>();
        var settings = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = Path.Combine(_folder, "chain.pem"),
            KeyFile = Path.Combine(_folder, "leaf.key"),
            Backend = new Endpoint("127.0.0.1", ((IPEndPoint)backend.LocalEndpoint).Port),
            Metrics = new Endpoint("127.0.0.1", metricsPort),
            // The backend never answers, so the s_client connection would hold the drain for its whole length.
            DrainTimeout = TimeSpan.FromSeconds(1),
        };
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, new StringWriter(), log, p => bound.TrySetResult(p), stop.Token));
        var port = await bound.Task.WaitAsync(Timeout);
        await ProxyCommandTests.WaitForAsync(() => ProxyCommandTests.Snapshot(log).Contains("OCSP staple good", StringComparison.Ordinal));

        using (var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{port} -servername localhost -status -CAfile {Path.Combine(_folder, "root.pem")}"))
        {
            client.StandardInput.Close();
            await client.WaitForExitAsync(Timeout);
            Assert.Contains("Cert Status: good", client.AllOutput);
        }
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Matches(@"tessera_proxy_ocsp_staple_age_seconds\{[^}]*CN=localhost[^}]*\} \d", metrics);
        Assert.Matches(@"tessera_proxy_ocsp_fetch_failures(_total)?\{[^}]*CN=localhost[^}]*\} 0", metrics);

        // tessera monitor sees the staple the proxy sends: present, good, fresh.
        var monitorPort = Ports.Free();
        var monitorLog = new StringWriter();
        using var stopMonitor = new CancellationTokenSource();
        string[] specs = [$"127.0.0.1:{port},sni=localhost,ca={Path.Combine(_folder, "root.pem")},name=proxy"];
        var monitor = Task.Run(() => MonitorCommand.RunAsync(null, specs, $"127.0.0.1:{monitorPort}", 30, 5, monitorLog, stopMonitor.Token));
        var seen = "";
        await ProxyCommandTests.WaitForAsync(() =>
        {
            try
            {
                seen = http.GetStringAsync($"http://127.0.0.1:{monitorPort}/metrics").GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                return false;   // not listening yet
            }
            return seen.Contains("tessera_monitor_ocsp_staple_status{", StringComparison.Ordinal);
        });
        await stopMonitor.CancelAsync();
        Assert.Equal(ExitCodes.Success, await monitor.WaitAsync(Timeout));
        Assert.Contains("tessera_monitor_ocsp_staple_present{target=\"proxy\"} 1", seen, StringComparison.Ordinal);
        Assert.Contains("tessera_monitor_ocsp_staple_status{status=\"good\",target=\"proxy\"} 1", seen, StringComparison.Ordinal);
        Assert.Matches(@"tessera_monitor_ocsp_staple_age_seconds\{target=""proxy""\} \d", seen);
        Assert.Matches(@"tessera_monitor_ocsp_staple_next_update_seconds\{target=""proxy""\} [1-9]", seen);   // openssl ocsp -nmin 10: ten minutes ahead

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
