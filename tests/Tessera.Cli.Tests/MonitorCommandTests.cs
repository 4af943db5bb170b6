using System.Text.Json;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Monitor;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera monitor` as operators run it: against `tessera serve` instances, scraped by a real Prometheus loaded with
/// the shipped rules, whose API must show exactly the alerts each endpoint deserves; its exposition checked by promtool;
/// its configuration file (with a proxy's sites as targets) and its sentences.
/// </summary>
public sealed class MonitorCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-monitor-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Cert, string Key) Write(string name, (string Chain, string Key) pem)
    {
        var cert = Path.Combine(_folder, name + ".pem");
        var key = Path.Combine(_folder, name + ".key");
        File.WriteAllText(cert, pem.Chain);
        File.WriteAllText(key, pem.Key);
        return (cert, key);
    }

    [Fact]
    public async Task Prometheus_With_The_Shipped_Rules_Fires_Exactly_The_Alerts_Each_Endpoint_Deserves()
    {
        TestHome.Ensure();
        var ca = LocalCa.OpenOrCreateDev();
        var soon = ca.Issue(["localhost"], client: false, days: 2, KeyType.EcdsaP256);
        var later = ca.Issue(["localhost"], client: false, days: 60, KeyType.EcdsaP256);
        var misnamed = ca.Issue(["elsewhere.test"], client: false, days: 60, KeyType.EcdsaP256);
        using var stranger = CertificateIssuer.CreateRoot("Someone Else's Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(365));
        using var strangerLeaf = stranger.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(60), KeyType.EcdsaP256);
        var files = new Dictionary<string, (string Cert, string Key)>
        {
            ["soon"] = Write("soon", (soon.ChainPem, soon.KeyPem)),
            ["later"] = Write("later", (later.ChainPem, later.KeyPem)),
            ["untrusted"] = Write("untrusted", (strangerLeaf.CertificatePem, strangerLeaf.KeyPem)),
            ["misnamed"] = Write("misnamed", (misnamed.ChainPem, misnamed.KeyPem)),
        };
        var servers = new Dictionary<string, ServeFixture>();
        try
        {
            foreach (var (name, (cert, key)) in files) servers[name] = ServeFixture.Start(new ServeSettings { CertFile = cert, KeyFile = key });
            Assert.Contains("warn certificate CN=localhost serial", servers["soon"].Log, StringComparison.Ordinal);   // serve says it at start
            Assert.Contains("expires", servers["soon"].Log, StringComparison.Ordinal);
            Assert.DoesNotContain(" warn ", servers["later"].Log, StringComparison.Ordinal);

            var metricsPort = Ports.Free();
            var specs = servers.Select(s => $"127.0.0.1:{s.Value.Port},sni=localhost,ca={TestHome.DevRoot},name={s.Key}").ToArray();
            var log = new StringWriter();
            using var stop = new CancellationTokenSource();
            var run = Task.Run(() => MonitorCommand.RunAsync(null, specs, $"127.0.0.1:{metricsPort}", 2, 5, log, stop.Token));
            await using var prometheus = await PrometheusServer.StartAsync("tessera-monitor", [$"127.0.0.1:{metricsPort}"], [Path.Combine(PrometheusServer.DeployFolder, "tessera-rules.yml")]);

            // Until every target's alerts are in (a scrape, then a rule evaluation), or the deadline.
            var expected = new HashSet<(string, string, string)>
            {
                ("TesseraCertificateExpiringCritical", "soon", "critical"),
                ("TesseraChainNotTrusted", "untrusted", "critical"),
                ("TesseraCertificateNameMismatch", "misnamed", "critical"),
            };
            var deadline = DateTime.UtcNow + Timeout;
            List<(string Alert, string Target, string Severity)> firing;
            do
            {
                await Task.Delay(500);
                firing = await prometheus.FiringAsync();
            } while (!expected.IsSubsetOf(firing) && DateTime.UtcNow < deadline);
            output.WriteLine(string.Join("\n", firing));
            output.WriteLine(log.ToString());
            Assert.True(expected.IsSubsetOf(firing), $"firing: {string.Join(", ", firing)}\nprometheus: {prometheus.Output}\nmonitor: {log}");
            // Exactly these: none for the good endpoint, no warning beside the critical for the first, nothing else.
            await Task.Delay(2500);   // another scrape and evaluation: nothing more arrives
            firing = await prometheus.FiringAsync();
            Assert.Equal(expected.OrderBy(x => x), firing.ToHashSet().OrderBy(x => x));
            var trusted = await prometheus.ApiAsync("query?query=tessera_monitor_chain_trusted%7Btarget%3D%22untrusted%22%7D");
            Assert.Equal("unknown_ca", trusted.GetProperty("result")[0].GetProperty("metric").GetProperty("reason").GetString());

            // The exposition itself passes Prometheus' checker, names the service and carries no OpenTelemetry scope labels.
            using var http = new HttpClient();
            var text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            await Promtool.CheckMetricsAsync(text);
            Assert.DoesNotContain("otel_scope", text, StringComparison.Ordinal);
            Assert.Contains("service_name=\"tessera-monitor\"", text, StringComparison.Ordinal);
            // Every monitor metric the rules and the dashboard name exists (the staple and scan ones need a staple or a scan).
            var deploy = File.ReadAllText(Path.Combine(PrometheusServer.DeployFolder, "tessera-rules.yml")) +
                File.ReadAllText(Path.Combine(PrometheusServer.DeployFolder, "..", "grafana", "tessera-dashboard.json"));
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(deploy, @"tessera_monitor_[a-z_]+"))
            {
                var name = m.Value;
                if (name.StartsWith("tessera_monitor_ocsp_staple_", StringComparison.Ordinal) && name != "tessera_monitor_ocsp_staple_present" ||
                    name.StartsWith("tessera_monitor_scan_", StringComparison.Ordinal) || name.StartsWith("tessera_monitor_ari_", StringComparison.Ordinal)) continue;   // below, and in the ARI test
                Assert.Contains($"\n{name}{{", text, StringComparison.Ordinal);
            }
            Assert.Contains("warn soon: certificate expires in", log.ToString(), StringComparison.Ordinal);
            Assert.Contains("warn misnamed: certificate is not for localhost", log.ToString(), StringComparison.Ordinal);
            Assert.Contains("info later: ok: TLS 1.3", log.ToString(), StringComparison.Ordinal);

            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        }
        finally
        {
            foreach (var s in servers.Values) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_Target_Whose_Ca_Offers_Ari_Reports_Its_Renewal_Window_And_A_Scanned_One_Its_Grade()
    {
        // The README's private PKI: `ca serve`, a shortlived certificate from it, served by `tessera serve`.
        var ca = Path.Combine(_folder, "ca");
        var httpPort = Ports.Free();
        using (var init = Proc.Tessera($"ca init --dir {ca}")) Assert.Equal(0, await init.ExitAsync(Timeout));
        using var caServe = Proc.Tessera($"ca serve --dir {ca} --listen 127.0.0.1:0 --http-port {httpPort} --resolve app.team.test=127.0.0.1");
        await caServe.WaitForAsync("ACME directory at ", Timeout);
        var directory = System.Text.RegularExpressions.Regex.Match(caServe.Output, @"ACME directory at (\S+)").Groups[1].Value;
        using (var issue = Proc.Tessera($"acme issue app.team.test --directory {directory} --ca {ca}/root.pem --store {_folder}/store --agree-tos --http-port {httpPort} --profile shortlived --out {_folder}/app"))
            Assert.True(await issue.ExitAsync(Timeout) == 0, issue.Output + caServe.Output);
        using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync($"{_folder}/app.pem"));
        await using var server = ServeFixture.Start(new ServeSettings { CertFile = $"{_folder}/app.pem", KeyFile = $"{_folder}/app.key" });

        var metricsPort = Ports.Free();
        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        string[] specs = [$"127.0.0.1:{server.Port},sni=app.team.test,ca={ca}/root.pem,acme={directory},name=app,scan"];
        var run = Task.Run(() => MonitorCommand.RunAsync(null, specs, $"127.0.0.1:{metricsPort}", 30, 5, log, stop.Token));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + Timeout;
        string text;
        do
        {
            await Task.Delay(500);
            text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        } while (!(text.Contains("tessera_monitor_ari_window_start_timestamp_seconds{", StringComparison.Ordinal) && text.Contains("tessera_monitor_scan_grade{", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        output.WriteLine(text);
        output.WriteLine(log.ToString());

        // The CA's window is the second two thirds to three quarters of the lifetime (Tessera.Acme.Server's ARI).
        double Value(string name) => double.Parse(System.Text.RegularExpressions.Regex.Match(text, $@"\n{name}\{{target=""app""\}} (\S+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime()).ToUnixTimeSeconds();
        var lifetime = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds() - notBefore;
        Assert.InRange(Value("tessera_monitor_ari_window_start_timestamp_seconds"), notBefore + 0.6 * lifetime, notBefore + 0.7 * lifetime);
        Assert.InRange(Value("tessera_monitor_ari_window_end_timestamp_seconds"), Value("tessera_monitor_ari_window_start_timestamp_seconds") + 1, notBefore + 0.8 * lifetime);
        // serve has TLS 1.2 and 1.3 with modern suites and no HSTS (not an HTTP server): an A.
        Assert.Matches(@"tessera_monitor_scan_grade\{grade=""A"",target=""app""\} 1", text);
        Assert.InRange(Value("tessera_monitor_scan_score"), 80, 100);
        Assert.Contains("info app: scanned, grade A", log.ToString(), StringComparison.Ordinal);
        await Promtool.CheckMetricsAsync(text);
    }

    [Fact]
    public async Task A_Changed_Configuration_File_Is_Reloaded_And_A_Broken_One_Keeps_The_Targets()
    {
        await using var server = ServeFixture.Start();
        var file = Path.Combine(_folder, "monitor.json");
        string Config(string name) => $$"""{ "Targets": { "{{name}}": { "Address": "127.0.0.1:{{server.Port}}", "ServerName": "localhost", "Ca": "{{TestHome.DevRoot}}" } } }""";
        await File.WriteAllTextAsync(file, Config("first"));
        var metricsPort = Ports.Free();
        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => MonitorCommand.RunAsync(file, [], $"127.0.0.1:{metricsPort}", 1, 5, log, stop.Token));
        using var http = new HttpClient();
        async Task<string> MetricsWhenAsync(Func<string, bool> ready)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (true)
            {
                Assert.False(run.IsCompleted, $"the monitor stopped: {log}");
                string text;
                try
                {
                    text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    text = "";   // not listening yet
                }
                if (ready(text)) return text;
                Assert.True(DateTime.UtcNow < deadline, $"not within {Timeout.TotalSeconds} s:\n{text}\n{log}");
                await Task.Delay(300);
            }
        }
        await MetricsWhenAsync(t => t.Contains("tessera_monitor_probe_success{target=\"first\"} 1", StringComparison.Ordinal));

        await File.WriteAllTextAsync(file, Config("second"));
        var after = await MetricsWhenAsync(t => t.Contains("tessera_monitor_probe_success{target=\"second\"} 1", StringComparison.Ordinal));
        Assert.DoesNotContain("target=\"first\"} ", after.Split("tessera_monitor_probe_success")[1].Split("# TYPE")[0], StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, """{ "Targets": { "third": { "Adress": "nowhere" } } }""");
        var deadline = DateTime.UtcNow + Timeout;
        while (!log.ToString().Contains("reload refused", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Contains("Targets:third:Adress is not a setting of a target", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("still serving 1 target(s)", log.ToString(), StringComparison.Ordinal);
        await MetricsWhenAsync(t => t.Contains("tessera_monitor_probe_success{target=\"second\"} 1", StringComparison.Ordinal));

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
    }

    [Fact]
    public void A_Configuration_File_Names_Targets_And_Takes_A_Proxy_Files_Sites_And_Refuses_A_Misspelt_Key()
    {
        var proxy = Path.Combine(_folder, "proxy.json");
        File.WriteAllText(proxy, """
            { "Listeners": { "main": { "Listen": "0.0.0.0:8443", "Sites": {
                "api": { "ServerNames": [ "api.example.test" ], "Certificate": "a.pem", "Key": "a.key", "Backend": "127.0.0.1:9000", "Mode": "http" },
                "wild": { "ServerNames": [ "*.example.test" ], "Certificate": "a.pem", "Key": "a.key", "Backend": "127.0.0.1:9001" } } } } }
            """);
        var monitor = Path.Combine(_folder, "monitor.json");
        File.WriteAllText(monitor, """
            { "Interval": 60, "Listen": "127.0.0.1:9464",
              "Targets": { "db": { "Address": "db.internal:5432", "ServerName": "db.example.test", "Alpn": [ "postgresql" ], "Versions": [ "1.3" ], "Scan": true } },
              "Proxies": { "edge": { "File": "proxy.json" } } }
            """);
        var contents = MonitorFile.Load(monitor);
        Assert.Equal(TimeSpan.FromSeconds(60), contents.Interval);
        Assert.Equal("127.0.0.1:9464", contents.Listen);
        var db = contents.Targets.Single(t => t.Name == "db");
        Assert.Equal("db.internal", db.Address.Host);
        Assert.Equal(5432, db.Address.Port);
        Assert.Equal("db.example.test", db.Host);
        Assert.Equal(["postgresql"], db.ApplicationProtocols);
        Assert.Equal(Tessera.Wire.ProtocolVersion.Tls13, db.MinVersion);
        Assert.True(db.Scan);
        var api = contents.Targets.Single(t => t.Name == "edge/main/api");
        Assert.Equal("127.0.0.1:8443", api.Address.ToString());   // a wildcard listen address is probed on loopback
        Assert.Equal("api.example.test", api.ServerName);
        Assert.Equal("www.example.test", contents.Targets.Single(t => t.Name == "edge/main/wild").ServerName);
        Assert.Contains(Path.GetFullPath(proxy), contents.Files);

        File.WriteAllText(monitor, """{ "Targets": { "db": { "Adress": "db.internal:5432" } } }""");
        var e = Assert.Throws<CliException>(() => MonitorFile.Load(monitor));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{monitor}: Targets:db:Adress is not a setting of a target; those are Address, ServerName, Ca, Profile, Alpn, Versions, ClientCertificate, ClientKey, Interval, Scan, AcmeDirectory", e.Message);
        var spec = Assert.Throws<CliException>(() => MonitorTargets.Parse("127.0.0.1:443,snii=x", []));
        Assert.Equal("--target 127.0.0.1:443,snii=x: 'snii' is not a target setting; those are sni, ca, alpn, profile, name, versions, cert, key, interval, scan, acme", spec.Message);
    }
}
