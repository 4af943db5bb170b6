using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Proxy.Hosting;
using Tessera.Scan.Monitor;
using Tessera.Wire;

namespace Tessera.Cli.Monitor;

/// <summary>
/// The monitor's targets from the command line (<c>--target HOST:PORT[,sni=NAME][,ca=FILE]…</c>) and from a
/// <c>tessera proxy</c> configuration file (each site becomes a target: its listener's address, its first server
/// name). The files a target reads (roots, client certificate) are collected so a reload can watch them.
/// </summary>
internal static class MonitorTargets
{
    private static readonly string[] SpecKeys = ["sni", "ca", "alpn", "profile", "name", "versions", "cert", "key", "interval", "scan", "acme"];

    /// <summary>Parses one <c>--target</c>; <paramref name="files"/> gets the files it names.</summary>
    public static MonitorTarget Parse(string spec, List<string> files)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        var address = Settings.Endpoint.Parse(parts[0], 443);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            var (key, value) = eq < 0 ? (parts[i], "true") : (parts[i][..eq], parts[i][(eq + 1)..]);
            if (Array.IndexOf(SpecKeys, key) < 0) throw new CliException(ExitCodes.Usage, $"--target {spec}: '{key}' is not a target setting; those are {string.Join(", ", SpecKeys)}");
            if (!values.TryAdd(key, value)) throw new CliException(ExitCodes.Usage, $"--target {spec}: '{key}' is given twice");
        }
        return Build($"--target {spec}", new HostPort(address.Host, address.Port), values.GetValueOrDefault("name"), values.GetValueOrDefault("sni"),
            values.GetValueOrDefault("ca"), values.GetValueOrDefault("profile"),
            values.TryGetValue("alpn", out var alpn) ? alpn.Split('+', StringSplitOptions.RemoveEmptyEntries) : [],
            values.TryGetValue("versions", out var versions) ? versions.Split('+', StringSplitOptions.RemoveEmptyEntries) : [],
            values.GetValueOrDefault("cert"), values.GetValueOrDefault("key"),
            values.TryGetValue("interval", out var interval) ? ParseSeconds($"--target {spec}: interval", interval) : null,
            values.TryGetValue("scan", out var scan) && scan is "true" or "yes" or "1", files, values.GetValueOrDefault("acme"));
    }

    /// <summary>A target from its settings; <paramref name="where"/> starts every refusal's sentence.</summary>
    public static MonitorTarget Build(string where, HostPort address, string? name, string? sni, string? ca, string? profile, IReadOnlyList<string> alpn,
        IReadOnlyList<string> versions, string? certificate, string? key, TimeSpan? interval, bool scan, List<string> files, string? acmeDirectory = null)
    {
        Uri? acme = null;
        if (acmeDirectory is not null && !(Uri.TryCreate(acmeDirectory, UriKind.Absolute, out acme) && acme.Scheme == Uri.UriSchemeHttps))
            throw new CliException(ExitCodes.Usage, $"{where}: the ACME directory must be an https URL, not '{acmeDirectory}'");
        TrustStore? trust = null;
        if (ca is not null)
        {
            trust = Files.Trust(ca);
            files.Add(Path.GetFullPath(ca));
        }
        TlsCredential? client = null;
        if (certificate is not null || key is not null)
        {
            if (certificate is null || key is null) throw new CliException(ExitCodes.Usage, $"{where}: a client certificate needs both cert and key");
            client = Files.Credential(certificate, key);
            files.Add(Path.GetFullPath(certificate));
            files.Add(Path.GetFullPath(key));
        }
        var chosenProfile = profile switch
        {
            null => trust is null ? VerificationProfile.WebPki : VerificationProfile.Rfc5280,   // private roots: a private PKI's rules
            "webpki" => VerificationProfile.WebPki,
            "rfc5280" => VerificationProfile.Rfc5280,
            _ => throw new CliException(ExitCodes.Usage, $"{where}: profile must be webpki or rfc5280, not '{profile}'"),
        };
        var min = ProtocolVersion.Tls13;
        var max = ProtocolVersion.Tls12;
        foreach (var v in versions)
        {
            var parsed = v switch
            {
                "1.2" => ProtocolVersion.Tls12,
                "1.3" => ProtocolVersion.Tls13,
                _ => throw new CliException(ExitCodes.Usage, $"{where}: versions are 1.2 and 1.3, not '{v}'"),
            };
            if (parsed < min) min = parsed;
            if (parsed > max) max = parsed;
        }
        if (versions.Count == 0) (min, max) = (ProtocolVersion.Tls12, ProtocolVersion.Tls13);
        if (interval is { } i && i < TimeSpan.FromSeconds(1)) throw new CliException(ExitCodes.Usage, $"{where}: the interval must be at least one second");
        foreach (var p in alpn)
            if (p.Length is 0 or > 255) throw new CliException(ExitCodes.Usage, $"{where}: an ALPN protocol has 1 to 255 bytes");
        return new MonitorTarget
        {
            Name = name ?? MonitorTarget.DefaultName(address, sni),
            Address = address,
            ServerName = sni,
            Trust = trust,
            Profile = chosenProfile,
            ApplicationProtocols = alpn,
            MinVersion = min,
            MaxVersion = max,
            ClientCertificate = client,
            Interval = interval,
            Scan = scan,
            AcmeDirectory = acme,
        };
    }

    /// <summary>
    /// One target per site of a proxy configuration file, named <c>PREFIX/LISTENER/SITE</c>: the listener's address (a
    /// wildcard address probed on loopback) and the site's first server name (a wildcard's <c>*</c> as <c>www</c>).
    /// </summary>
    public static IEnumerable<MonitorTarget> FromProxyFile(string where, string prefix, string path, string? ca, string? profile, List<string> files)
    {
        ProxyConfiguration configuration;
        try
        {
            configuration = ProxyConfigurationFile.Load(path);
        }
        catch (ProxyHostException e)
        {
            throw new CliException(ExitCodes.For(e.Failure), $"{where}: {e.Message}");
        }
        files.Add(Path.GetFullPath(path));
        foreach (var listener in configuration.Listeners)
        {
            var host = listener.Listen.Host switch
            {
                "0.0.0.0" or "*" or "" => "127.0.0.1",
                "::" or "[::]" => "::1",
                var h => h,
            };
            foreach (var site in listener.Sites)
            {
                var sni = site.ServerNames.Count == 0 ? null : site.ServerNames[0].StartsWith("*.", StringComparison.Ordinal) ? "www" + site.ServerNames[0][1..] : site.ServerNames[0];
                yield return Build(where, new HostPort(host, listener.Listen.Port), $"{prefix}/{listener.Name}/{site.Name}", sni, ca, profile,
                    site.Alpn, [], null, null, null, false, files);
            }
        }
    }

    /// <summary>Seconds from a setting, for the file and the flags.</summary>
    public static TimeSpan ParseSeconds(string where, string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86400 * 7
            ? TimeSpan.FromSeconds(s)
            : throw new CliException(ExitCodes.Usage, $"{where} takes seconds, more than 0 and at most a week, not '{text}'");
}
