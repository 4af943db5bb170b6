using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy.Hosting;

/// <summary>
/// Reads a <see cref="ProxyConfiguration"/> from JSON in the shape of ASP.NET configuration (Microsoft.Extensions.Configuration):
/// <code>
/// { "Defaults":  { site or listener settings every site/listener gets unless it sets its own },
///   "Listeners": { "NAME": { "Listen": "ADDRESS:PORT", "MaxConnections": N, …,
///                            "Sites": { "NAME": { "ServerNames": [ … ], "Certificate": FILE, "Key": FILE,
///                                                 "Backend": "HOST:PORT", "Mode": "tcp|http", … } } } },
///   "Redis": { "Configuration": "HOST:PORT", "KeyFile": FILE }, "TicketRotation": SECONDS }
/// </code>
/// Every key is checked: a misspelt one is refused, not ignored, and each error is a sentence naming the file and the
/// key ("proxy.json: Listeners:main:Sites:api:Backend …"), with <see cref="ProxyHostFailure.File"/> when the file cannot
/// be read and <see cref="ProxyHostFailure.Configuration"/> for what is in it. Relative file names are relative to the
/// configuration file's folder. Values are read by hand rather than with the reflection binder, so Native AOT needs
/// no trimming exceptions.
/// </summary>
public static class ProxyConfigurationFile
{
    private static readonly string[] TopKeys = ["Defaults", "Listeners", "Redis", "TicketRotation", "Acme"];
    private static readonly string[] ListenerKeys = ["Listen", "Sites", "MaxConnections", "MaxHandshakesPerClient", "IdleTimeout"];
    private static readonly string[] SiteKeys = ["ServerNames", "Certificate", "Key", "Backend", "Mode", "Alpn", "ClientAuth", "ClientCa", "Versions", "CipherSuites", "ProxyProtocol", "HandshakeTimeout", "Ocsp", "EarlyData", "Acme"];

    /// <summary>Reads and checks the file's text (the files it names are read when a host builds it).</summary>
    public static ProxyConfiguration Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var root = Open(path);
        var reader = new Reader(path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (var top in root.GetChildren())
            if (Array.IndexOf(TopKeys, top.Key) < 0) throw reader.Error(top, "is not a setting; the file has Defaults, Listeners, Redis, TicketRotation and Acme");
        var defaults = root.GetSection("Defaults");
        foreach (var d in defaults.GetChildren())
            if (Array.IndexOf(ListenerKeys, d.Key) < 0 && Array.IndexOf(SiteKeys, d.Key) < 0 || d.Key is "Listen" or "Sites" or "ServerNames" or "Certificate" or "Key" or "Acme")
                throw reader.Error(d, $"is not a default; defaults can be {string.Join(", ", DefaultKeys())}");
        var listenerSections = new List<IConfigurationSection>(root.GetSection("Listeners").GetChildren());
        if (listenerSections.Count == 0) throw reader.Error(root.GetSection("Listeners"), "is missing or empty; the file needs at least one listener");
        var listeners = new List<ProxyListenerConfiguration>(listenerSections.Count);
        foreach (var l in listenerSections) listeners.Add(Listener(reader, l, defaults));
        var anyAcme = listeners.Any(l => l.Sites.Any(site => site.Acme is not null));
        return new ProxyConfiguration
        {
            Listeners = listeners,
            Acme = AcmeOptions(reader, root.GetSection("Acme"), anyAcme),
            Redis = Redis(reader, root.GetSection("Redis")),
            TicketRotation = TicketRotation(reader, root.GetSection("TicketRotation")),
            File = path,
            // A value a site or listener takes from Defaults is named where it was written.
            NameSetting = at => $"{path}: {Origin(root, at)}",
        };
    }

    private static string Origin(IConfiguration root, ProxySetting at)
    {
        if (at.Listener is null) return at.ToString();
        var own = at.Site is null ? root.GetSection($"Listeners:{at.Listener}") : root.GetSection($"Listeners:{at.Listener}:Sites:{at.Site}");
        return !own.GetSection(at.Key).Exists() && root.GetSection($"Defaults:{at.Key}").Exists() ? $"Defaults:{at.Key}" : at.ToString();
    }

    private static ProxyListenerConfiguration Listener(Reader reader, IConfigurationSection l, IConfigurationSection defaults)
    {
        foreach (var k in l.GetChildren())
            if (Array.IndexOf(ListenerKeys, k.Key) < 0) throw reader.Error(k, $"is not a setting of a listener; those are {string.Join(", ", ListenerKeys)}");
        var listenText = reader.Required(l, "Listen");
        var listen = reader.Parse(l.GetSection("Listen"), () => HostPort.Parse(listenText));
        var siteSections = new List<IConfigurationSection>(l.GetSection("Sites").GetChildren());
        if (siteSections.Count == 0) throw reader.Error(l.GetSection("Sites"), "is missing or empty; a listener needs at least one site");
        var sites = new List<ProxySiteConfiguration>(siteSections.Count);
        foreach (var s in siteSections) sites.Add(Site(reader, s, defaults));
        return new ProxyListenerConfiguration
        {
            Name = l.Key,
            Listen = listen,
            Sites = sites,
            MaxConnections = reader.Int(l, defaults, "MaxConnections", 10_000, 1, ProxyListenerConfiguration.MaxLimit),
            MaxHandshakesPerClient = reader.Int(l, defaults, "MaxHandshakesPerClient", 64, 1, ProxyListenerConfiguration.MaxLimit),
            IdleTimeout = reader.Seconds(l, defaults, "IdleTimeout", 300),
        };
    }

    private static IEnumerable<string> DefaultKeys()
    {
        foreach (var k in ListenerKeys) if (k is not ("Listen" or "Sites")) yield return k;
        foreach (var k in SiteKeys) if (k is not ("ServerNames" or "Certificate" or "Key" or "Acme")) yield return k;
    }

    private static ProxySiteConfiguration Site(Reader reader, IConfigurationSection s, IConfigurationSection defaults)
    {
        foreach (var k in s.GetChildren())
            if (Array.IndexOf(SiteKeys, k.Key) < 0) throw reader.Error(k, $"is not a setting of a site; those are {string.Join(", ", SiteKeys)}");
        var acme = AcmeSettings(reader, s.GetSection("Acme"));
        string? certificate = null, key = null;
        if (acme is null)
        {
            certificate = reader.File(reader.Required(s, "Certificate"));
            key = reader.File(reader.Required(s, "Key"));
        }
        else if (s.GetSection("Certificate").Exists() || s.GetSection("Key").Exists())
        {
            throw reader.Error(s.GetSection("Acme"), "replaces Certificate and Key; a site has one or the other");
        }
        var backendText = reader.Value(s, defaults, "Backend") ?? throw reader.Error(s.GetSection("Backend"), "is missing; a site needs a backend HOST:PORT");
        var backend = reader.Parse(Source(s, defaults, "Backend"), () => HostPort.Parse(backendText));
        var modeText = reader.Value(s, defaults, "Mode") ?? "tcp";
        var mode = modeText switch
        {
            "tcp" => ProxyMode.Tcp,
            "http" => ProxyMode.Http,
            _ => throw reader.Error(Source(s, defaults, "Mode"), $"must be tcp or http, not '{modeText}'"),
        };
        var clientAuthText = reader.Value(s, defaults, "ClientAuth") ?? "none";
        var clientAuth = clientAuthText switch
        {
            "none" => ClientCertificateMode.None,
            "optional" => ClientCertificateMode.Optional,
            "required" => ClientCertificateMode.Required,
            _ => throw reader.Error(Source(s, defaults, "ClientAuth"), $"must be none, optional or required, not '{clientAuthText}'"),
        };
        var versions = reader.List(s, defaults, "Versions");
        var (min, max) = (ProtocolVersion.Tls12, ProtocolVersion.Tls13);
        if (versions.Count > 0)
        {
            var has12 = false;
            var has13 = false;
            foreach (var v in versions)
            {
                if (v is "1.2" or "TLS1.2" or "TLSv1.2") has12 = true;
                else if (v is "1.3" or "TLS1.3" or "TLSv1.3") has13 = true;
                else throw reader.Error(Source(s, defaults, "Versions"), $"has '{v}'; the versions are 1.2 and 1.3");
            }
            (min, max) = (has12 ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13, has13 ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12);
        }
        var suites = reader.List(s, defaults, "CipherSuites");
        var ocsp = reader.Value(s, defaults, "Ocsp") ?? "auto";
        if (ocsp is not ("auto" or "off")) throw reader.Error(Source(s, defaults, "Ocsp"), $"must be auto or off, not '{ocsp}'");
        return new ProxySiteConfiguration
        {
            Name = s.Key,
            ServerNames = reader.List(s, null, "ServerNames"),
            Certificate = certificate,
            Key = key,
            Acme = acme,
            Backend = backend,
            Mode = mode,
            Alpn = reader.List(s, defaults, "Alpn"),
            ClientAuth = clientAuth,
            ClientCa = reader.Value(s, defaults, "ClientCa") is { } ca ? reader.File(ca) : null,
            MinVersion = min,
            MaxVersion = max,
            CipherSuites = suites.Count == 0 ? [] : reader.Parse(Source(s, defaults, "CipherSuites"), () => TlsNames.Suites(string.Join(',', suites))),
            ProxyProtocol = reader.Bool(s, defaults, "ProxyProtocol"),
            HandshakeTimeout = reader.Seconds(s, defaults, "HandshakeTimeout", 10),
            Ocsp = ocsp == "auto",
            EarlyData = reader.Int(s, defaults, "EarlyData", 0, 0, ProxySiteConfiguration.MaxEarlyData),
        };
    }

    private static readonly string[] AcmeSiteKeys = ["Directory", "Email", "Challenge", "DnsHook", "Profile", "KeyType", "Ca", "Eab"];

    /// <summary>A site's "Acme" section: { "Directory": URL, "Email", "Challenge": "tls-alpn-01|http-01|dns-01", "DnsHook": PROGRAM, "Profile", "KeyType", "Ca": FILE, "Eab": { "KeyId", "Hmac" } }.</summary>
    private static Acme.ProxyAcmeSettings? AcmeSettings(Reader reader, IConfigurationSection section)
    {
        if (!section.Exists()) return null;
        foreach (var k in section.GetChildren())
            if (Array.IndexOf(AcmeSiteKeys, k.Key) < 0) throw reader.Error(k, $"is not a setting of Acme; those are {string.Join(", ", AcmeSiteKeys)}");
        var directoryText = reader.Required(section, "Directory");
        if (!Uri.TryCreate(directoryText, UriKind.Absolute, out var directory) || directory.Scheme != Uri.UriSchemeHttps)
            throw reader.Error(section.GetSection("Directory"), $"must be the CA's https directory URL, not '{directoryText}'");
        var eab = section.GetSection("Eab");
        foreach (var k in eab.GetChildren())
            if (k.Key is not ("KeyId" or "Hmac")) throw reader.Error(k, "is not a setting of Eab; those are KeyId and Hmac");
        return new Acme.ProxyAcmeSettings
        {
            Directory = directory,
            Email = section.GetSection("Email").Value,
            Challenge = section.GetSection("Challenge").Value ?? "tls-alpn-01",
            DnsHook = section.GetSection("DnsHook").Value is { Length: > 0 } hook ? (hook.Contains('/') ? reader.File(hook) : hook) : null,
            Profile = section.GetSection("Profile").Value,
            KeyType = section.GetSection("KeyType").Value ?? "ec256",
            CaFile = section.GetSection("Ca").Value is { Length: > 0 } ca ? reader.File(ca) : null,
            EabKeyId = eab.Exists() ? reader.Required(eab, "KeyId") : null,
            EabHmac = eab.Exists() ? reader.Required(eab, "Hmac") : null,
        };
    }

    /// <summary>The file's "Acme" section: { "Storage": FOLDER (default: acme beside the file), "HttpListen": "ADDR:PORT" }; null when no site uses ACME and the file has none.</summary>
    private static Acme.ProxyAcmeOptions? AcmeOptions(Reader reader, IConfigurationSection section, bool needed)
    {
        if (!section.Exists() && !needed) return null;
        foreach (var k in section.GetChildren())
            if (k.Key is not ("Storage" or "HttpListen")) throw reader.Error(k, "is not a setting of Acme; those are Storage and HttpListen");
        return new Acme.ProxyAcmeOptions
        {
            Storage = reader.File(section.GetSection("Storage").Value ?? "acme"),
            HttpListen = section.GetSection("HttpListen").Value is { Length: > 0 } listen ? reader.Parse(section.GetSection("HttpListen"), () => HostPort.Parse(listen)) : null,
        };
    }

    /// <summary>The file's "Redis" section: { "Configuration": "host:port …", "KeyFile": "redis.key" }, or null when it has none.</summary>
    private static ProxyRedisConfiguration? Redis(Reader reader, IConfigurationSection section)
    {
        if (!section.Exists()) return null;
        foreach (var k in section.GetChildren())
            if (k.Key is not ("Configuration" or "KeyFile")) throw reader.Error(k, "is not a setting of Redis; those are Configuration and KeyFile");
        return new ProxyRedisConfiguration
        {
            Configuration = reader.Required(section, "Configuration"),
            KeyFile = section.GetSection("KeyFile").Value is { Length: > 0 } key ? reader.File(key) : null,
        };
    }

    /// <summary>The file's "TicketRotation" (seconds a ticket key seals), or null.</summary>
    private static TimeSpan? TicketRotation(Reader reader, IConfigurationSection section)
    {
        if (section.Value is null) return null;
        if (!double.TryParse(section.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds < ProxyResumption.MinRotation.TotalSeconds || seconds > ProxyResumption.MaxRotation.TotalSeconds)
            throw reader.Error(section, $"must be a number of seconds from {ProxyResumption.MinRotation.TotalSeconds} to {ProxyResumption.MaxRotation.TotalSeconds}, not '{section.Value}'");
        return TimeSpan.FromSeconds(seconds);
    }

    private static IConfigurationRoot Open(string path)
    {
        // One sentence each, naming the file: not the configuration library's or System.Text.Json's own texts.
        if (!System.IO.File.Exists(path)) throw new ProxyHostException(ProxyHostFailure.File, $"cannot read {path}: there is no such file");
        try
        {
            return new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProxyHostException(ProxyHostFailure.File, $"cannot read {path}: permission denied", e);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException)
        {
            throw new ProxyHostException(ProxyHostFailure.File, $"cannot read {path}: {Innermost(e).Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            var where = Innermost(e) is System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } column }
                ? $" at line {line + 1}, column {column + 1}"
                : "";
            throw new ProxyHostException(ProxyHostFailure.Configuration, $"{path} is not valid JSON{where}: a configuration file is one JSON object of listeners and sites", e);
        }
    }

    /// <summary>The section a value came from: the site's (or listener's) own, else the defaults'.</summary>
    private static IConfigurationSection Source(IConfigurationSection own, IConfigurationSection defaults, string key) =>
        own.GetSection(key).Exists() ? own.GetSection(key) : defaults.GetSection(key);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>Reads values with errors that name the file and the key.</summary>
    private sealed class Reader(string source, string folder)
    {
        public ProxyHostException Error(IConfigurationSection at, string problem) => new(ProxyHostFailure.Configuration, $"{source}: {at.Path} {problem}");

        public string Required(IConfigurationSection section, string key) =>
            section.GetSection(key).Value is { Length: > 0 } v ? v : throw Error(section.GetSection(key), "is missing");

        public string? Value(IConfigurationSection own, IConfigurationSection? defaults, string key)
        {
            var s = own.GetSection(key);
            if (s.Exists()) return s.Value ?? throw Error(s, "must be a single value");
            if (defaults?.GetSection(key) is { } d && d.Exists()) return d.Value ?? throw Error(d, "must be a single value");
            return null;
        }

        public List<string> List(IConfigurationSection own, IConfigurationSection? defaults, string key)
        {
            var s = own.GetSection(key).Exists() || defaults is null ? own.GetSection(key) : defaults.GetSection(key);
            if (!s.Exists()) return [];
            if (s.Value is not null) throw Error(s, "must be a list: [ \"…\", … ]");
            var result = new List<string>();
            foreach (var item in s.GetChildren())
                result.Add(item.Value is { Length: > 0 } v ? v : throw Error(item, "must be a non-empty string"));
            return result;
        }

        public bool Bool(IConfigurationSection own, IConfigurationSection defaults, string key) =>
            Value(own, defaults, key) is not { } text ? false
            : bool.TryParse(text, out var b) ? b : throw Error(Source(own, defaults, key), $"must be true or false, not '{text}'");

        public int Int(IConfigurationSection own, IConfigurationSection defaults, string key, int fallback, int min, int max)
        {
            if (Value(own, defaults, key) is not { } text) return fallback;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
                : throw Error(Source(own, defaults, key), $"must be a whole number from {min} to {max}, not '{text}'");
        }

        public TimeSpan Seconds(IConfigurationSection own, IConfigurationSection defaults, string key, double fallback)
        {
            if (Value(own, defaults, key) is not { } text) return TimeSpan.FromSeconds(fallback);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86_400 ? TimeSpan.FromSeconds(s)
                : throw Error(Source(own, defaults, key), $"must be a number of seconds above 0 and at most 86400, not '{text}'");
        }

        public string File(string name) => Path.GetFullPath(Path.Combine(folder, name));

        /// <summary>Runs a parser (which throws <see cref="FormatException"/>) and puts the key in front of its sentence.</summary>
        public T Parse<T>(IConfigurationSection at, Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (FormatException e)
            {
                throw new ProxyHostException(ProxyHostFailure.Configuration, $"{source}: {at.Path}: {e.Message}", e);
            }
        }
    }
}
