using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Tessera.Cli.Cli;
using Tessera.Certificates;
using Tessera.Cli.Settings;
using Tessera.Connection;
using Tessera.Proxy;
using Tessera.Resumption;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera proxy --config FILE`: JSON in the shape of ASP.NET configuration, read with Microsoft.Extensions.Configuration.
/// <code>
/// { "Defaults":  { site or listener settings every site/listener gets unless it sets its own },
///   "Listeners": { "NAME": { "Listen": "ADDRESS:PORT", "MaxConnections": N, …,
///                            "Sites": { "NAME": { "ServerNames": [ … ], "Certificate": FILE, "Key": FILE,
///                                                 "Backend": "HOST:PORT", "Mode": "tcp|http", … } } } } }
/// </code>
/// Every key is checked: a misspelt one is refused, not ignored, and each error is a sentence naming the key
/// ("Listeners:main:Sites:api:Backend: …"). Relative file names are relative to the configuration file's folder.
/// Values are read by hand rather than with the reflection binder, so the Native AOT tool needs no trimming exceptions.
/// </summary>
internal static class ProxyConfig
{
    /// <summary>The most 0-RTT data a site may accept per connection (the proxy holds it until the handshake completes).</summary>
    internal const int MaxEarlyData = 1 << 20;

    private static readonly string[] ListenerKeys = ["Listen", "Sites", "MaxConnections", "MaxHandshakesPerClient", "IdleTimeout"];
    private static readonly string[] SiteKeys = ["ServerNames", "Certificate", "Key", "Backend", "Mode", "Alpn", "ClientAuth", "ClientCa", "Versions", "CipherSuites", "ProxyProtocol", "HandshakeTimeout", "Ocsp", "EarlyData"];

    /// <summary>One listener of the file: its name, its options, the files it was built from (watched for reload) and the sites with OCSP stapling off.</summary>
    internal sealed record Listener(string Name, ProxyListenerOptions Options, IReadOnlyList<string> Files, IReadOnlySet<string> NoOcsp);

    /// <summary>
    /// Ticket keys, session caches and 0-RTT anti-replay stores by "listener/site", kept across reloads so that a
    /// session made before a reload still resumes after it, and early data seen before it is still not accepted twice
    /// (a site's tickets are never accepted by another site). With Redis (`--redis`) they live there, under a key
    /// prefix per listener/site, shared by every instance of the fleet; otherwise in this process.
    /// </summary>
    internal sealed class ResumptionState : IDisposable
    {
        /// <summary>How long a ticket key seals by default (nginx and HAProxy leave rotation to the operator; 12 hours bounds what a stolen key opens).</summary>
        internal static readonly TimeSpan DefaultRotation = TimeSpan.FromHours(12);
        private static readonly TimeSpan MaxTicketLifetime = TimeSpan.FromDays(1);
        private readonly Tessera.Redis.RedisState? _redis;
        private readonly Dictionary<string, Site> _bySite = new(StringComparer.Ordinal);

        /// <param name="redis">The fleet's Redis, or null for state in this process.</param>
        /// <param name="ticketRotation">How long a ticket key seals; tickets are issued with a lifetime their keys are sure to outlive.</param>
        public ResumptionState(Tessera.Redis.RedisState? redis = null, TimeSpan? ticketRotation = null)
        {
            _redis = redis;
            TicketRotation = ticketRotation ?? DefaultRotation;
            // In process a key opens until the rotation after the one that retired it (one interval guaranteed); the Redis
            // ring keeps two retired generations (two intervals). The lifetime sent to clients promises no more than that,
            // so a client never offers a ticket its lifetime says is good and gets a full handshake instead.
            var guaranteed = redis is null ? TicketRotation : TicketRotation * 2;
            TicketLifetime = guaranteed < MaxTicketLifetime ? guaranteed : MaxTicketLifetime;
        }

        public TimeSpan TicketRotation { get; }

        /// <summary>The ticket_lifetime every site's tickets carry (at most a day).</summary>
        public TimeSpan TicketLifetime { get; }

        internal sealed record Site(ITicketProtector Tickets, IServerSessionStore Sessions, IAntiReplayStore AntiReplay, TimeSpan TicketLifetime);

        public Site For(string listener, string site)
        {
            lock (_bySite)
            {
                var key = listener + "/" + site;
                if (!_bySite.TryGetValue(key, out var state))
                {
                    if (_redis is null)
                    {
                        state = new Site(new TicketKeyRing(TicketRotation), new ServerSessionCache(), new InMemoryAntiReplayStore(), TicketLifetime);
                    }
                    else
                    {
                        var view = _redis.WithPrefix($"{_redis.Prefix}{key}:");
                        // Keys are read every tenth of a rotation (at most every 10 s), so a short rotation still gets its lead time.
                        var refresh = TicketRotation / 10 < TimeSpan.FromSeconds(10) ? TicketRotation / 10 : TimeSpan.FromSeconds(10);
                        state = new Site(new Tessera.Redis.RedisTicketKeyRing(view, TicketRotation, refresh), new Tessera.Redis.RedisSessionStore(view),
                            new Tessera.Redis.RedisAntiReplayStore(view), TicketLifetime);
                    }
                    _bySite[key] = state;
                }
                return state;
            }
        }

        /// <summary>Stops the Redis key rings' refresh loops.</summary>
        public void Dispose()
        {
            lock (_bySite)
                foreach (var s in _bySite.Values)
                    if (s.Tickets is IDisposable d) d.Dispose();
        }
    }

    /// <summary>The most and least a ticket key may seal for (--ticket-rotation, TicketRotation).</summary>
    internal static readonly TimeSpan MinTicketRotation = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxTicketRotation = TimeSpan.FromDays(7);

    /// <summary>The file's top-level "TicketRotation" (seconds a ticket key seals), or null; read once at start like Redis.</summary>
    public static TimeSpan? TicketRotation(string path)
    {
        var root = Open(path);
        var section = root.GetSection("TicketRotation");
        if (section.Value is null) return null;
        var reader = new Reader(path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!double.TryParse(section.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds < MinTicketRotation.TotalSeconds || seconds > MaxTicketRotation.TotalSeconds)
            throw reader.Error(section, $"must be a number of seconds from {MinTicketRotation.TotalSeconds} to {MaxTicketRotation.TotalSeconds}, not '{section.Value}'");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Reads and checks the whole file; throws <see cref="CliException"/> with the first problem.</summary>
    public static IReadOnlyList<Listener> Load(string path, ResumptionState resumption)
    {
        var root = Open(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Read(root, folder, resumption, path);
    }

    /// <summary>
    /// The file's "Redis" section: { "Configuration": "host:port …", "KeyFile": "redis.key" } (the key file relative to
    /// the configuration file), or null when it has none. Read once at start: the connection outlives reloads.
    /// </summary>
    public static (string Configuration, string? KeyFile)? Redis(string path)
    {
        var root = Open(path);
        var section = root.GetSection("Redis");
        if (!section.Exists()) return null;
        var reader = new Reader(path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (var k in section.GetChildren())
            if (k.Key is not ("Configuration" or "KeyFile")) throw reader.Error(k, "is not a setting of Redis; those are Configuration and KeyFile");
        var configuration = reader.Required(section, "Configuration");
        return (configuration, section.GetSection("KeyFile").Value is { Length: > 0 } key ? reader.File(key) : null);
    }

    private static IConfigurationRoot Open(string path)
    {
        // One sentence each, naming the file: not the configuration library's or System.Text.Json's own texts.
        if (!File.Exists(path)) throw new CliException(ExitCodes.FileError, $"cannot read {path}: there is no such file");
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {path}: permission denied", e);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {path}: {Innermost(e).Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            var where = Innermost(e) is System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } column }
                ? $" at line {line + 1}, column {column + 1}"
                : "";
            throw new CliException(ExitCodes.Usage, $"{path} is not valid JSON{where}: a configuration file is one JSON object of listeners and sites", e);
        }
        return root;
    }

    internal static IReadOnlyList<Listener> Read(IConfiguration root, string folder, ResumptionState resumption, string source)
    {
        var reader = new Reader(source, folder);
        foreach (var top in root.GetChildren())
            if (top.Key is not ("Defaults" or "Listeners" or "Redis" or "TicketRotation")) throw reader.Error(top, "is not a setting; the file has Defaults, Listeners, Redis and TicketRotation");
        var defaults = root.GetSection("Defaults");
        foreach (var d in defaults.GetChildren())
            if (Array.IndexOf(ListenerKeys, d.Key) < 0 && Array.IndexOf(SiteKeys, d.Key) < 0 || d.Key is "Listen" or "Sites" or "ServerNames" or "Certificate" or "Key")
                throw reader.Error(d, $"is not a default; defaults can be {string.Join(", ", DefaultKeys())}");
        var listeners = root.GetSection("Listeners").GetChildren().ToList();
        if (listeners.Count == 0) throw reader.Error(root.GetSection("Listeners"), "is missing or empty; the file needs at least one listener");
        var result = new List<Listener>();
        var addresses = new Dictionary<IPEndPoint, string>();
        foreach (var l in listeners)
        {
            foreach (var k in l.GetChildren())
                if (Array.IndexOf(ListenerKeys, k.Key) < 0) throw reader.Error(k, $"is not a setting of a listener; those are {string.Join(", ", ListenerKeys)}");
            var files = new List<string>();
            var listenText = reader.Required(l, "Listen");
            var listen = reader.Parse(l.GetSection("Listen"), () => Endpoint.Parse(listenText));
            var address = new IPEndPoint(reader.Parse(l.GetSection("Listen"), () => listen.ListenAddress("Listen")), listen.Port);
            if (addresses.TryGetValue(address, out var other)) throw reader.Error(l.GetSection("Listen"), $"{address} is already listener '{other}''s");
            addresses[address] = l.Key;
            var sites = l.GetSection("Sites").GetChildren().ToList();
            if (sites.Count == 0) throw reader.Error(l.GetSection("Sites"), "is missing or empty; a listener needs at least one site");
            var built = new List<ProxySite>();
            var noOcsp = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in sites)
            {
                built.Add(Site(reader, s, defaults, l.Key, resumption, files));
                var ocsp = reader.Value(s, defaults, "Ocsp") ?? "auto";
                if (ocsp == "off") noOcsp.Add(s.Key);
                else if (ocsp != "auto") throw reader.Error(Source(s, defaults, "Ocsp"), $"must be auto or off, not '{ocsp}'");
            }
            var options = new ProxyListenerOptions
            {
                Listen = address,
                Sites = built,
                MaxConnections = reader.Int(l, defaults, "MaxConnections", 10_000, 1, 1_000_000),
                MaxHandshakesPerClient = reader.Int(l, defaults, "MaxHandshakesPerClient", 64, 1, 1_000_000),
                IdleTimeout = reader.Seconds(l, defaults, "IdleTimeout", 300),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw reader.Error(l.GetSection("Sites"), e.Message);
            }
            result.Add(new Listener(l.Key, options, files, noOcsp));
        }
        return result;
    }

    private static IEnumerable<string> DefaultKeys()
    {
        foreach (var k in ListenerKeys) if (k is not ("Listen" or "Sites")) yield return k;
        foreach (var k in SiteKeys) if (k is not ("ServerNames" or "Certificate" or "Key")) yield return k;
    }

    private static ProxySite Site(Reader reader, IConfigurationSection s, IConfigurationSection defaults, string listener, ResumptionState resumption, List<string> files)
    {
        foreach (var k in s.GetChildren())
            if (Array.IndexOf(SiteKeys, k.Key) < 0) throw reader.Error(k, $"is not a setting of a site; those are {string.Join(", ", SiteKeys)}");
        var cert = reader.File(reader.Required(s, "Certificate"));
        var key = reader.File(reader.Required(s, "Key"));
        files.Add(cert);
        files.Add(key);
        var credential = reader.Parse(s.GetSection("Certificate"), () => Files.Credential(cert, key));
        var backendText = reader.Value(s, defaults, "Backend") ?? throw reader.Error(s.GetSection("Backend"), "is missing; a site needs a backend HOST:PORT");
        var backend = reader.Parse(Source(s, defaults, "Backend"), () => Endpoint.Parse(backendText));
        var modeText = reader.Value(s, defaults, "Mode") ?? "tcp";
        var mode = modeText switch
        {
            "tcp" => ProxyMode.Tcp,
            "http" => ProxyMode.Http,
            _ => throw reader.Error(Source(s, defaults, "Mode"), $"must be tcp or http, not '{modeText}'"),
        };
        var alpn = reader.List(s, defaults, "Alpn");
        if (mode == ProxyMode.Http && alpn.Count > 0) throw reader.Error(Source(s, defaults, "Alpn"), "is for the tcp mode; the http mode offers h2 and http/1.1");
        var proxyProtocol = reader.Bool(s, defaults, "ProxyProtocol");
        if (mode == ProxyMode.Http && proxyProtocol) throw reader.Error(Source(s, defaults, "ProxyProtocol"), "is for the tcp mode; the http mode tells the backend the client's address in X-Forwarded-For");
        var clientAuthText = reader.Value(s, defaults, "ClientAuth") ?? "none";
        var clientAuth = clientAuthText switch
        {
            "none" => ClientCertificateMode.None,
            "optional" => ClientCertificateMode.Optional,
            "required" => ClientCertificateMode.Required,
            _ => throw reader.Error(Source(s, defaults, "ClientAuth"), $"must be none, optional or required, not '{clientAuthText}'"),
        };
        TrustStore? clientCa = null;
        if (reader.Value(s, defaults, "ClientCa") is { } caText)
        {
            var ca = reader.File(caText);
            files.Add(ca);
            clientCa = reader.Parse(Source(s, defaults, "ClientCa"), () => Files.Trust(ca));
        }
        if (clientAuth != ClientCertificateMode.None && clientCa is null) throw reader.Error(Source(s, defaults, "ClientAuth"), $"is {clientAuthText}, which needs ClientCa (the roots client certificates must chain to)");
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
        var state = resumption.For(listener, s.Key);
        var tls = new TlsServerOptions
        {
            Certificates = [credential],
            ApplicationProtocols = alpn,
            ClientCertificateMode = clientAuth,
            ClientTrustStore = clientCa,
            MinVersion = min,
            MaxVersion = max,
            HandshakeTimeout = reader.Seconds(s, defaults, "HandshakeTimeout", 10),
            TicketProtector = state.Tickets,
            SessionIdCache = state.Sessions,
            AntiReplay = state.AntiReplay,
            TicketLifetime = state.TicketLifetime,
            MaxEarlyData = (uint)reader.Int(s, defaults, "EarlyData", 0, 0, MaxEarlyData),
        };
        if (suites.Count > 0) tls = tls with { CipherSuites = reader.Parse(Source(s, defaults, "CipherSuites"), () => TlsNames.Suites(string.Join(',', suites))) };
        return new ProxySite
        {
            Name = s.Key,
            ServerNames = reader.List(s, null, "ServerNames"),
            Tls = tls,
            Mode = mode,
            BackendHost = backend.Host,
            BackendPort = backend.Port,
            ProxyProtocol = proxyProtocol,
        };
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
        public CliException Error(IConfigurationSection at, string problem) => new(ExitCodes.Usage, $"{source}: {at.Path} {problem}");

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

        /// <summary>Runs a parser of the CLI's (which throws <see cref="CliException"/>) and puts the key in front of its sentence.</summary>
        public T Parse<T>(IConfigurationSection at, Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (CliException e)
            {
                throw new CliException(e.ExitCode, $"{source}: {at.Path}: {e.Message}", e);
            }
        }
    }
}
