using System.CommandLine;
using System.Globalization;
using Tessera.Cli.Cli;
using Tessera.Cli.Monitor;
using Tessera.Cli.Settings;
using Tessera.Scan;
using Tessera.Scan.Monitor;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera monitor`: probes TLS endpoints on an interval with a real Tessera handshake and serves what it finds as
/// Prometheus metrics (`Tessera.Monitor`, see <see cref="MonitorMetrics"/>), for the alert rules and dashboard in
/// deploy/. Logs a line when a target's state changes (up, down, trusted, name, certificate), not at every probe.
/// The configuration file is reloaded when it or a file it names changes (and on SIGHUP).
/// </summary>
internal static class MonitorCommand
{
    /// <summary>A certificate expiring sooner than this is a warning, as the shipped rules' TesseraCertificateExpiringSoon.</summary>
    public static readonly TimeSpan ExpiryWarning = Tessera.Proxy.Hosting.CertificateValidity.DefaultWarning;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON file of targets (and tessera proxy configurations whose sites become targets); reloaded on change" };
        var target = new Option<string[]>("--target")
        {
            Description = "HOST:PORT[,sni=NAME][,ca=FILE][,profile=webpki|rfc5280][,alpn=P1+P2][,versions=1.2+1.3][,cert=FILE,key=FILE][,interval=S][,name=LABEL][,scan][,acme=DIRECTORY_URL]",
            AllowMultipleArgumentsPerToken = false,
        };
        var listen = new Option<string?>("--listen") { Description = "ADDRESS:PORT to serve Prometheus text on /metrics (default 127.0.0.1:9464)" };
        var interval = new Option<double?>("--interval") { Description = "Seconds between probes of a target (default 300, jittered by 10 %)" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds a probe may take, connect to handshake (default 10)" };
        var command = new Command("monitor", "Probe TLS endpoints on an interval and serve their expiry, trust and handshake as Prometheus metrics")
        {
            config, target, listen, interval, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config);
            var specs = parse.GetValue(target) ?? [];
            if (configFile is null && specs.Length == 0) throw new CliException(ExitCodes.Usage, "tessera monitor needs --config FILE or at least one --target HOST:PORT");
            if (configFile is not null && specs.Length > 0) throw new CliException(ExitCodes.Usage, "--config and --target do not mix; put the targets in the file");
            return await RunAsync(configFile, specs, parse.GetValue(listen), parse.GetValue(interval), parse.GetValue(timeout), Console.Error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(string? configFile, string[] specs, string? listen, double? interval, double? timeout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var log = new ServeLog(stderr, verbose: false);
        var contents = Load(configFile, specs);
        var at = Endpoint.Parse(listen ?? contents.Listen ?? "127.0.0.1:9464");
        var options = new MonitorOptions
        {
            Interval = interval is { } i ? MonitorTargets.ParseSeconds("--interval", i.ToString(CultureInfo.InvariantCulture)) : contents.Interval ?? TimeSpan.FromMinutes(5),
            Timeout = timeout is { } t ? MonitorTargets.ParseSeconds("--timeout", t.ToString(CultureInfo.InvariantCulture)) : contents.Timeout ?? TimeSpan.FromSeconds(10),
            Concurrency = contents.Concurrency ?? 32,
            ScanInterval = contents.ScanInterval ?? TimeSpan.FromDays(1),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message.Split(" (Parameter", 2)[0]);
        }
        await using var monitor = new TlsMonitor(options, contents.Targets);
        using var metrics = new MonitorMetrics(monitor);
        using var exporter = PrometheusEndpoint.Start(at, "tessera-monitor", MonitorMetrics.MeterName);
        var said = new Dictionary<string, string>(StringComparer.Ordinal);
        monitor.Probed += (t, r) =>
        {
            var (line, bad) = Describe(t, r, options.Clock.GetUtcNow());
            lock (said)
            {
                // A line when the state changes (not at every probe), so the log is what happened.
                if (said.TryGetValue(t.Name, out var before) && before == line) return;
                said[t.Name] = line;
            }
            if (bad) log.Warn($"{t.Name}: {line}");
            else log.Info($"{t.Name}: {line}");
        };
        monitor.RenewalInfoFailed += (t, error) => log.Warn($"{t.Name}: renewalInfo: {error}");
        monitor.Scanned += (t, grade, error) =>
        {
            if (grade is not null) log.Info($"{t.Name}: scanned, grade {grade.Grade} (score {grade.Score})");
            else log.Warn($"{t.Name}: scan failed: {error}");
        };
        log.Line($"tessera monitor: probing {contents.Targets.Count} target(s) every {options.Interval.TotalSeconds:0.#} s (timeout {options.Timeout.TotalSeconds:0.#} s); metrics on http://{at}/metrics");
        monitor.Start();
        using var reloader = new ProxyReloader(() =>
        {
            var next = Load(configFile, specs);
            monitor.Update(next.Targets);
            return ($"{next.Targets.Count} target(s)", next.Files);
        }, () => $"{monitor.Status().Count} target(s)", contents.Files, log);
        if (configFile is not null)
        {
            reloader.HandleSignals();
            await reloader.WatchAsync(cancellationToken);
        }
        else
        {
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
        }
        log.Line("tessera monitor: stopped");
        return ExitCodes.Success;
    }

    private static MonitorFile.Contents Load(string? configFile, string[] specs)
    {
        if (configFile is not null) return MonitorFile.Load(configFile);
        var files = new List<string>();
        var targets = new List<MonitorTarget>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var t = MonitorTargets.Parse(spec, files);
            if (!names.Add(t.Name)) throw new CliException(ExitCodes.Usage, $"two targets are named {t.Name}; give one a name=LABEL");
            targets.Add(t);
        }
        return new MonitorFile.Contents(null, null, null, null, null, targets, files);
    }

    /// <summary>The target's state in one line, and whether it is something to act on.</summary>
    internal static (string Line, bool Bad) Describe(MonitorTarget t, ProbeResult r, DateTimeOffset now)
    {
        if (!r.Success) return ($"probe failed: {r.Error}", true);
        var problems = new List<string>();
        if (r.Trusted == false) problems.Add($"chain not trusted ({r.UntrustedReason})");
        if (r.NameMatches == false) problems.Add($"certificate is not for {t.Host}");
        var expiry = "";
        if (r.LeafNotAfter is { } notAfter)
        {
            var left = notAfter - now;
            expiry = left < TimeSpan.Zero
                ? $", certificate expired {notAfter:yyyy-MM-dd}"
                : $", certificate {r.Serial} expires {notAfter:yyyy-MM-dd} (in {left.TotalDays:0} days)";
            if (left < ExpiryWarning) problems.Add(left < TimeSpan.Zero ? "certificate expired" : $"certificate expires in {left.TotalDays:0.#} days");
        }
        if (r.Staple is { } staple && staple.Status != "good") problems.Add($"OCSP staple says {staple.Status}");
        var line = $"{r.Version} {r.CipherSuite} {r.Group}{expiry}";
        return problems.Count == 0 ? ($"ok: {line}", false) : ($"{string.Join("; ", problems)}: {line}", true);
    }
}
