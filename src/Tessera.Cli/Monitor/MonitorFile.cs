using Microsoft.Extensions.Configuration;
using Tessera.Cli.Cli;
using Tessera.Proxy.Hosting;
using Tessera.Scan.Monitor;

namespace Tessera.Cli.Monitor;

/// <summary>
/// Reads <c>tessera monitor --config FILE</c>: JSON in the shape the proxy's file has (Microsoft.Extensions.Configuration,
/// every key checked, a misspelt one refused, files relative to the file's folder):
/// <code>
/// { "Listen": "127.0.0.1:9464", "Interval": 300, "Timeout": 10, "Concurrency": 32, "ScanInterval": 86400,
///   "Targets": { "NAME": { "Address": "HOST:PORT", "ServerName": NAME, "Ca": FILE, "Profile": "webpki|rfc5280",
///                          "Alpn": [ … ], "Versions": [ "1.2", "1.3" ], "ClientCertificate": FILE, "ClientKey": FILE,
///                          "Interval": SECONDS, "Scan": true, "AcmeDirectory": URL } },
///   "Proxies": { "NAME": { "File": "proxy.json", "Ca": FILE, "Profile": … } } }
/// </code>
/// A target's name is its <c>target</c> label; a proxy's sites are named <c>NAME/LISTENER/SITE</c>.
/// </summary>
internal static class MonitorFile
{
    private static readonly string[] TopKeys = ["Listen", "Interval", "Timeout", "Concurrency", "ScanInterval", "Targets", "Proxies"];
    private static readonly string[] TargetKeys = ["Address", "ServerName", "Ca", "Profile", "Alpn", "Versions", "ClientCertificate", "ClientKey", "Interval", "Scan", "AcmeDirectory"];
    private static readonly string[] ProxyKeys = ["File", "Ca", "Profile"];

    /// <summary>What the file says: the schedule, the listen address, the targets, and every file read (to watch).</summary>
    public sealed record Contents(string? Listen, TimeSpan? Interval, TimeSpan? Timeout, int? Concurrency, TimeSpan? ScanInterval, List<MonitorTarget> Targets, List<string> Files);

    public static Contents Load(string path)
    {
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"{path}: cannot be read ({e.Message})");
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: is not JSON ({e.InnerException?.Message ?? e.Message})");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string File(string? value) => value is null ? null! : Path.IsPathRooted(value) ? value : Path.Combine(folder, value);
        foreach (var top in root.GetChildren())
            if (Array.IndexOf(TopKeys, top.Key) < 0) throw Error(path, top, $"is not a setting; the file has {string.Join(", ", TopKeys)}");
        var files = new List<string> { Path.GetFullPath(path) };
        var targets = new List<MonitorTarget>();
        foreach (var t in root.GetSection("Targets").GetChildren())
        {
            foreach (var k in t.GetChildren())
                if (Array.IndexOf(TargetKeys, k.Key) < 0) throw Error(path, k, $"is not a setting of a target; those are {string.Join(", ", TargetKeys)}");
            var where = $"{path}: Targets:{t.Key}";
            var addressText = t["Address"] ?? throw Error(path, t.GetSection("Address"), "is missing; a target needs an Address HOST:PORT");
            var address = Settings.Endpoint.Parse(addressText, 443);
            targets.Add(MonitorTargets.Build(where, new HostPort(address.Host, address.Port), t.Key, t["ServerName"],
                t["Ca"] is { } ca ? File(ca) : null, t["Profile"], List(t.GetSection("Alpn")), List(t.GetSection("Versions")),
                t["ClientCertificate"] is { } cert ? File(cert) : null, t["ClientKey"] is { } key ? File(key) : null,
                t["Interval"] is { } i ? MonitorTargets.ParseSeconds($"{where}:Interval", i) : null,
                t["Scan"] is { } scan && Bool(path, t.GetSection("Scan"), scan), files, t["AcmeDirectory"]));
        }
        foreach (var p in root.GetSection("Proxies").GetChildren())
        {
            foreach (var k in p.GetChildren())
                if (Array.IndexOf(ProxyKeys, k.Key) < 0) throw Error(path, k, $"is not a setting of a proxy; those are {string.Join(", ", ProxyKeys)}");
            var proxyFile = p["File"] ?? throw Error(path, p.GetSection("File"), "is missing; a proxy entry names the proxy's configuration file");
            targets.AddRange(MonitorTargets.FromProxyFile($"{path}: Proxies:{p.Key}", p.Key, File(proxyFile), p["Ca"] is { } ca ? File(ca) : null, p["Profile"], files));
        }
        if (targets.Count == 0) throw new CliException(ExitCodes.Usage, $"{path}: has no Targets and no Proxies; there is nothing to monitor");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in targets)
            if (!names.Add(t.Name)) throw new CliException(ExitCodes.Usage, $"{path}: two targets are named {t.Name}");
        return new Contents(root["Listen"],
            root["Interval"] is { } interval ? MonitorTargets.ParseSeconds($"{path}: Interval", interval) : null,
            root["Timeout"] is { } timeout ? MonitorTargets.ParseSeconds($"{path}: Timeout", timeout) : null,
            root["Concurrency"] is { } c ? int.TryParse(c, out var n) && n is >= 1 and <= 1024 ? n : throw Error(path, root.GetSection("Concurrency"), $"must be 1 to 1024, not '{c}'") : null,
            root["ScanInterval"] is { } scanInterval ? MonitorTargets.ParseSeconds($"{path}: ScanInterval", scanInterval) : null,
            targets, files);
    }

    private static List<string> List(IConfigurationSection section)
    {
        var list = new List<string>();
        foreach (var c in section.GetChildren())
            if (c.Value is { } v) list.Add(v);
        return list;
    }

    private static bool Bool(string path, IConfigurationSection section, string text) => text.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw Error(path, section, $"must be true or false, not '{text}'"),
    };

    private static CliException Error(string path, IConfigurationSection at, string what) => new(ExitCodes.Usage, $"{path}: {at.Path} {what}");
}
