using System.Text.Json;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// A real Prometheus (Debian package prometheus) on a free loopback port with a temporary storage folder, scraping
/// the given targets every second and evaluating the given rule files every second; its HTTP API read as JSON.
/// Killed and its folder deleted on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Proc _process;
    private readonly string _folder;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Proc process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }
    public string Output => _process.Output;

    /// <summary>The repository's deploy/prometheus folder (the shipped rules).</summary>
    public static string DeployFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Tessera.sln"))) return Path.Combine(dir.FullName, "deploy", "prometheus");
            throw new InvalidOperationException($"no Tessera.sln above {AppContext.BaseDirectory}");
        }
    }

    public static async Task<PrometheusServer> StartAsync(string job, IReadOnlyList<string> targets, IReadOnlyList<string> ruleFiles)
    {
        var folder = Directory.CreateTempSubdirectory("tessera-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        var lines = new List<string>
        {
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
        };
        foreach (var r in ruleFiles) lines.Add($"  - '{r}'");
        lines.Add("scrape_configs:");
        lines.Add($"  - job_name: '{job}'");
        lines.Add("    static_configs:");
        lines.Add($"      - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]");
        await File.WriteAllLinesAsync(config, lines);
        var port = Ports.Free();
        var process = Proc.Start("prometheus", $"--config.file={config} --storage.tsdb.path={Path.Combine(folder, "data")} --web.listen-address=127.0.0.1:{port} --log.level=warn");
        var server = new PrometheusServer(process, folder, port);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    using var ready = await server._http.GetAsync($"http://127.0.0.1:{port}/-/ready");
                    if (ready.IsSuccessStatusCode) return server;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    // not listening yet
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"prometheus was not ready within 60 s:\n{process.Output}");
                await Task.Delay(200);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET /api/v1/PATH; the "data" element of a successful answer.</summary>
    public async Task<JsonElement> ApiAsync(string path)
    {
        var text = await _http.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/{path}");
        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"prometheus said: {text}");
        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The alerts firing now, as (alertname, target) pairs.</summary>
    public async Task<List<(string Alert, string Target, string Severity)>> FiringAsync()
    {
        var data = await ApiAsync("alerts");
        var firing = new List<(string, string, string)>();
        foreach (var a in data.GetProperty("alerts").EnumerateArray())
        {
            if (a.GetProperty("state").GetString() != "firing") continue;
            var labels = a.GetProperty("labels");
            firing.Add((labels.GetProperty("alertname").GetString()!,
                labels.TryGetProperty("target", out var t) ? t.GetString()! : "",
                labels.TryGetProperty("severity", out var s) ? s.GetString()! : ""));
        }
        return firing;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        _http.Dispose();
        await Task.Delay(100);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Prometheus may still be closing its files; the temp folder is left for the OS to clean.
        }
    }
}
