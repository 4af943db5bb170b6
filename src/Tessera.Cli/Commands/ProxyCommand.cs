using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Tessera.Cli.Cli;
using Tessera.Diagnostics;
using Tessera.Cli.Settings;
using Tessera.Proxy;
using Tessera.Proxy.Ocsp;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera proxy`: a TLS-terminating front. The tcp mode terminates TLS and relays the plaintext to one backend,
/// optionally after a PROXY protocol v2 header; the http mode serves HTTP/2 and HTTP/1.1 and forwards each request
/// (Kestrel and YARP, in Tessera.Proxy). One log line per connection, and in http mode one per request. SIGHUP or a change of the certificate
/// files reloads them for new handshakes. Ctrl+C or SIGTERM stops accepting and lets open connections finish for up to
/// --drain-timeout.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON file with listeners and sites chosen by SNI (in place of --listen, --cert, --key, --backend and the TLS and limit options)" };
        var listen = new Option<string?>("--listen") { Description = "ADDRESS:PORT to accept TLS on (port 0 picks a free port and prints it)" };
        var cert = new Option<string?>("--cert") { Description = "Certificate chain (PEM), end-entity first" };
        var key = new Option<string?>("--key") { Description = "Private key (PEM)" };
        var backend = new Option<string?>("--backend") { Description = "HOST:PORT that receives the decrypted bytes (tcp) or the requests over HTTP/1.1 (http)" };
        var mode = new Option<string>("--mode") { Description = "tcp: relay the bytes; http: reverse-proxy HTTP/2 and HTTP/1.1 with X-Forwarded-For/-Proto/-Host", DefaultValueFactory = _ => "tcp" };
        var proxyProtocol = new Option<bool>("--proxy-protocol") { Description = "tcp mode: send a PROXY protocol v2 header first (client address, SNI, ALPN, TLS version)" };
        var alpn = new Option<string[]>("--alpn") { Description = "tcp mode: ALPN protocols to accept, in preference order (http mode offers h2 and http/1.1)", AllowMultipleArgumentsPerToken = true };
        var ocsp = new Option<string>("--ocsp") { Description = "auto: fetch, verify and staple OCSP responses for certificates that name a responder (AIA); off", DefaultValueFactory = _ => "auto" };
        var earlyData = new Option<int>("--early-data") { Description = "Accept up to BYTES of TLS 1.3 0-RTT data per connection; the proxy passes it on only once the handshake has completed, so a replayed flight never reaches the backend (0: off)" };
        var tls12 = new Option<bool>("--tls1.2") { Description = "Only TLS 1.2" };
        var tls13 = new Option<bool>("--tls1.3") { Description = "Only TLS 1.3" };
        var maxConnections = new Option<int>("--max-connections") { Description = "Connections served at once; more wait in the backlog", DefaultValueFactory = _ => 10_000 };
        var perClient = new Option<int>("--max-handshakes-per-client") { Description = "Handshakes in progress at once from one client address", DefaultValueFactory = _ => 64 };
        var handshakeTimeout = new Option<double>("--handshake-timeout") { Description = "Seconds a client has to complete the handshake", DefaultValueFactory = _ => 10 };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Seconds without data either way before a connection is closed", DefaultValueFactory = _ => 300 };
        var drainTimeout = new Option<double>("--drain-timeout") { Description = "Seconds open connections get to finish when stopping", DefaultValueFactory = _ => 30 };
        var redis = new Option<string?>("--redis") { Description = "Share sessions, ticket keys and 0-RTT anti-replay with other instances through Redis (HOST:PORT, or StackExchange.Redis configuration)" };
        var redisKey = new Option<string?>("--redis-key") { Description = "File with 64 hex digits: the key that seals what is stored in Redis (the same on every instance)" };
        var ticketRotation = new Option<double?>("--ticket-rotation") { Description = "Seconds a session-ticket key seals before the next one takes over (default 43200, 12 hours); with --redis the whole fleet rotates together" };
        var metrics = new Option<string?>("--metrics") { Description = "ADDRESS:PORT to serve Prometheus text on /metrics" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json: one line per connection", DefaultValueFactory = _ => "text" };
        var command = new Command("proxy", "Terminate TLS in front of a backend: relay the bytes (tcp) or reverse-proxy HTTP (http)")
        {
            config, listen, cert, key, backend, mode, proxyProtocol, ocsp, earlyData, alpn, tls12, tls13, maxConnections, perClient, handshakeTimeout, idleTimeout, drainTimeout, redis, redisKey, ticketRotation, metrics, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ProxySettings settings;
            try
            {
                var configFile = parse.GetValue(config);
                if (configFile is not null)
                {
                    // The file holds the listeners, sites and limits; only the process's own options go with it.
                    Option[] perSite = [listen, cert, key, backend, mode, proxyProtocol, ocsp, earlyData, alpn, tls12, tls13, maxConnections, perClient, handshakeTimeout, idleTimeout];
                    foreach (var o in perSite)
                        if (parse.GetResult(o) is { Implicit: false }) throw new CliException(ExitCodes.Usage, $"{o.Name} goes in the configuration file when --config is given");
                }
                else
                {
                    foreach (var o in new[] { listen, cert, key, backend })
                        if (parse.GetValue(o) is null) throw new CliException(ExitCodes.Usage, $"{o.Name} is required (or --config FILE)");
                }
                settings = new ProxySettings
                {
                    ConfigFile = configFile,
                    Listen = parse.GetValue(listen) is { } l ? Endpoint.Parse(l) : null,
                    CertFile = parse.GetValue(cert),
                    KeyFile = parse.GetValue(key),
                    Backend = parse.GetValue(backend) is { } b ? Endpoint.Parse(b) : null,
                    Mode = parse.GetValue(mode)!,
                    Ocsp = parse.GetValue(ocsp)!,
                    EarlyData = parse.GetValue(earlyData),
                    ProxyProtocol = parse.GetValue(proxyProtocol),
                    Alpn = parse.GetValue(alpn) ?? [],
                    Tls12Only = parse.GetValue(tls12),
                    Tls13Only = parse.GetValue(tls13),
                    MaxConnections = parse.GetValue(maxConnections),
                    MaxHandshakesPerClient = parse.GetValue(perClient),
                    HandshakeTimeout = Seconds("--handshake-timeout", parse.GetValue(handshakeTimeout)),
                    IdleTimeout = Seconds("--idle-timeout", parse.GetValue(idleTimeout)),
                    DrainTimeout = Seconds("--drain-timeout", parse.GetValue(drainTimeout)),
                    LogFormat = parse.GetValue(logFormat)!,
                    Metrics = parse.GetValue(metrics) is { } m ? Endpoint.Parse(m) : null,
                    Redis = parse.GetValue(redis),
                    RedisKeyFile = parse.GetValue(redisKey),
                    TicketRotation = parse.GetValue(ticketRotation) is { } r ? TimeSpan.FromSeconds(r) : null,
                };
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"tessera proxy: {e.Message}");
                return e.ExitCode;
            }
            return await RunAsync(settings, Console.Out, Console.Error, null, cancellationToken);
        });
        return command;
    }

    private static TimeSpan Seconds(string option, double value) =>
        value > 0 && value <= 86_400 ? TimeSpan.FromSeconds(value)
            : throw new CliException(ExitCodes.Usage, $"{option} must be a number of seconds above 0 and at most 86400, not {value.ToString(CultureInfo.InvariantCulture)}");

    internal static ProxyListenerOptions BuildOptions(ProxySettings s)
    {
        var mode = s.Mode switch
        {
            "tcp" => ProxyMode.Tcp,
            "http" => ProxyMode.Http,
            _ => throw new CliException(ExitCodes.Usage, $"--mode must be tcp or http, not '{s.Mode}'"),
        };
        if (mode == ProxyMode.Http && s.ProxyProtocol) throw new CliException(ExitCodes.Usage, "--proxy-protocol is for --mode tcp; the http mode tells the backend the client's address in X-Forwarded-For");
        if (mode == ProxyMode.Http && s.Alpn.Length > 0) throw new CliException(ExitCodes.Usage, "--alpn is for --mode tcp; the http mode offers h2 and http/1.1");
        if (s.Tls12Only && s.Tls13Only) throw new CliException(ExitCodes.Usage, "--tls1.2 and --tls1.3 exclude each other");
        if (s.MaxConnections < 1) throw new CliException(ExitCodes.Usage, $"--max-connections must be at least 1, not {s.MaxConnections}");
        if (s.MaxHandshakesPerClient < 1) throw new CliException(ExitCodes.Usage, $"--max-handshakes-per-client must be at least 1, not {s.MaxHandshakesPerClient}");
        if (s.Listen is null || s.CertFile is null || s.KeyFile is null || s.Backend is null) throw new CliException(ExitCodes.Usage, "--listen, --cert, --key and --backend are required (or --config FILE)");
        if (s.Ocsp is not ("auto" or "off")) throw new CliException(ExitCodes.Usage, $"--ocsp must be auto or off, not '{s.Ocsp}'");
        if (s.EarlyData is < 0 or > ProxyConfig.MaxEarlyData) throw new CliException(ExitCodes.Usage, $"--early-data must be 0 to {ProxyConfig.MaxEarlyData} bytes, not {s.EarlyData}");
        if (s.EarlyData > 0 && s.Tls12Only) throw new CliException(ExitCodes.Usage, "--early-data is TLS 1.3's; it cannot go with --tls1.2");
        var address = s.Listen.ListenAddress("--listen");
        var site = new ProxySite
        {
            Mode = mode,
            BackendHost = s.Backend.Host,
            BackendPort = s.Backend.Port,
            ProxyProtocol = s.ProxyProtocol,
            Tls = new TlsServerOptions
            {
                Certificates = [Files.Credential(s.CertFile, s.KeyFile)],
                ApplicationProtocols = s.Alpn,
                MinVersion = s.Tls13Only ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12,
                MaxVersion = s.Tls12Only ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
                HandshakeTimeout = s.HandshakeTimeout,
                MaxEarlyData = (uint)s.EarlyData,
            },
        };
        return new ProxyListenerOptions
        {
            Listen = new IPEndPoint(address, s.Listen.Port),
            Sites = [site],
            MaxConnections = s.MaxConnections,
            MaxHandshakesPerClient = s.MaxHandshakesPerClient,
            IdleTimeout = s.IdleTimeout,
        };
    }

    /// <summary>The listeners to run: the configuration file's, or the one the command line describes (named "main").</summary>
    internal static IReadOnlyList<ProxyConfig.Listener> Listeners(ProxySettings s, ProxyConfig.ResumptionState resumption)
    {
        if (s.LogFormat is not ("text" or "json")) throw new CliException(ExitCodes.Usage, $"--log-format must be text or json, not '{s.LogFormat}'");
        if (s.ConfigFile is { } file) return ProxyConfig.Load(file, resumption);
        var options = BuildOptions(s);
        var site = options.Sites[0];
        // The command line's one site keeps its ticket keys and session cache across reloads.
        var state = resumption.For("main", site.Name);
        options = options with { Sites = [site with { Tls = site.Tls with { TicketProtector = state.Tickets, SessionIdCache = state.Sessions, AntiReplay = state.AntiReplay, TicketLifetime = state.TicketLifetime } }] };
        return [new ProxyConfig.Listener("main", options, [Path.GetFullPath(s.CertFile!), Path.GetFullPath(s.KeyFile!)], s.Ocsp == "off" ? new HashSet<string> { site.Name } : new HashSet<string>())];
    }

    /// <summary>The listeners' options with OCSP stapling applied to every site that has it on; the stapler stops refreshing certificates no longer served.</summary>
    internal static IReadOnlyList<ProxyListenerOptions> Stapled(IReadOnlyList<ProxyConfig.Listener> listeners, OcspStapler stapler)
    {
        var result = new List<ProxyListenerOptions>(listeners.Count);
        var served = new List<Certificates.TlsCredential>();
        foreach (var l in listeners)
        {
            var sites = new List<ProxySite>(l.Options.Sites.Count);
            foreach (var site in l.Options.Sites)
            {
                if (l.NoOcsp.Contains(site.Name))
                {
                    sites.Add(site);
                    continue;
                }
                served.AddRange(site.Tls.Certificates);
                sites.Add(site with { Tls = stapler.Apply(site.Tls) });
            }
            result.Add(l.Options with { Sites = sites });
        }
        stapler.Retain(served);
        return result;
    }

    /// <summary>What is served, for the log: each site's certificate (with the site's name when there are several).</summary>
    internal static string Serving(IReadOnlyList<ProxyListener> proxies)
    {
        var parts = new List<string>();
        var sites = 0;
        foreach (var p in proxies) sites += p.Options.Sites.Count;
        foreach (var p in proxies)
        foreach (var site in p.Options.Sites)
        {
            var leaf = site.Tls.Certificates[0].Leaf;
            var text = $"{leaf.Subject} serial {leaf.SerialNumber}, expires {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}";
            parts.Add(sites > 1 ? $"site '{site.Name}' {text}" : text);
        }
        return string.Join("; ", parts);
    }

    /// <param name="bound">Told the actual port of the first listener once listening (tests use port 0).</param>
    internal static async Task<int> RunAsync(ProxySettings s, TextWriter stdout, TextWriter stderr, Action<int>? bound, CancellationToken cancellationToken)
    {
        var log = new ProxyLog(stdout, s.LogFormat == "json");
        var events = new ServeLog(stderr, verbose: false);
        Tessera.Redis.RedisState? redisState;
        TimeSpan? rotation;
        try
        {
            rotation = TicketRotation(s);
            redisState = ConnectRedis(s, events);
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return e.ExitCode;
        }
        using var redisConnection = redisState;
        using var resumption = new ProxyConfig.ResumptionState(redisState, rotation);
        await using var stapler = new OcspStapler(log: (c, ok, message) =>
        {
            var line = $"{c.Credential.Leaf.Subject} serial {c.Credential.Leaf.SerialNumber}: {message}";
            if (ok) events.Info(line);
            else events.Warn(line);
        });
        var proxies = new List<ProxyListener>();
        IReadOnlyList<ProxyConfig.Listener> listeners;
        try
        {
            listeners = Listeners(s, resumption);
            foreach (var options in Stapled(listeners, stapler))
            {
                var proxy = new ProxyListener(options, log.Connection, log.Request);
                proxies.Add(proxy);
                try
                {
                    proxy.Start();
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // Kestrel reports a port in use as an IOException around the SocketException.
                    var socket = e as SocketException ?? e.InnerException as SocketException;
                    throw new CliException(ExitCodes.ConnectionFailed,
                        $"cannot listen on {options.Listen}: {(socket is not null ? SocketErrorText.Of(socket) : e.Message)}", e);
                }
            }
        }
        catch (Exception e) when (e is CliException or ArgumentException or SocketException or IOException)
        {
            foreach (var p in proxies) await p.DisposeAsync();
            var (message, code) = e switch
            {
                CliException c => (c.Message, c.ExitCode),
                ArgumentException => (e.Message, ExitCodes.Usage),
                _ => ($"cannot listen: {e.Message}", ExitCodes.ConnectionFailed),
            };
            await stderr.WriteLineAsync($"tessera proxy: {message}");
            return code;
        }
        MeterProvider? exporter = null;
        if (s.Metrics is { } at)
        {
            try
            {
                // The exporter's own failure says only that its HttpListener could not start; binding the address first
                // finds out why (in use, not on this machine, a name that does not resolve) for the sentence below.
                if (MetricsAddressProblem(at) is { } problem)
                {
                    foreach (var p in proxies) await p.DisposeAsync();
                    events.Line($"tessera proxy: cannot serve metrics on {at}: {problem}");
                    return ExitCodes.ConnectionFailed;
                }
                // The core's handshake instruments and the proxy's own, as Prometheus text on http://ADDRESS:PORT/metrics.
                exporter = Sdk.CreateMeterProviderBuilder()
                    .AddMeter(TesseraMetrics.MeterName, ProxyMetrics.MeterName)
                    .AddPrometheusHttpListener(o => { o.Host = at.Host; o.Port = at.Port; })
                    .Build();
            }
            catch (Exception e) when (e is HttpListenerException or InvalidOperationException or ArgumentException)
            {
                foreach (var p in proxies) await p.DisposeAsync();
                events.Line($"tessera proxy: cannot serve metrics on {at}: the Prometheus listener could not start there ({e.Message})");
                return ExitCodes.ConnectionFailed;
            }
        }
        using var metricsExporter = exporter;
        try
        {
            // On stderr, so that with --log-format json stdout holds only log objects.
            for (var i = 0; i < proxies.Count; i++)
            {
                var p = proxies[i];
                var listenHost = s.ConfigFile is null ? s.Listen!.Host : p.Options.Listen.Address.ToString();
                foreach (var site in p.Options.Sites)
                {
                    var names = site.ServerNames.Count == 0 ? "" : $" for {string.Join(", ", site.ServerNames)}";
                    events.Line($"tessera proxy: listening on {new Endpoint(listenHost, p.LocalEndPoint.Port)} ({ModeName(site.Mode)}){names}, backend {site.Backend}{(site.ProxyProtocol ? " with PROXY v2" : "")}, certificate {site.Tls.Certificates[0].Leaf.Subject}");
                }
            }
            if (s.Metrics is { } mx) events.Line($"tessera proxy: metrics on http://{mx}/metrics");
            var files = new List<string>();
            foreach (var l in listeners) files.AddRange(l.Files);
            if (s.ConfigFile is { } configFile) files.Add(Path.GetFullPath(configFile));
            using var reloader = new ProxyReloader(() => Reload(s, resumption, stapler, proxies), () => Serving(proxies), files, events);
            reloader.HandleSignals();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watching = reloader.WatchAsync(stopWatching.Token);
            bound?.Invoke(proxies[0].LocalEndPoint.Port);
            var running = new Task[proxies.Count];
            for (var i = 0; i < proxies.Count; i++) running[i] = proxies[i].RunAsync(s.DrainTimeout, cancellationToken);
            await Task.WhenAll(running);
            await stopWatching.CancelAsync();
            await watching;
            events.Line("tessera proxy: stopped");
        }
        finally
        {
            foreach (var p in proxies) await p.DisposeAsync();
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Builds everything anew and swaps it in only when all of it is good: every listener's new options are checked
    /// before any is reloaded, so a bad site anywhere leaves the whole old configuration serving.
    /// </summary>
    private static (string, IReadOnlyList<string>) Reload(ProxySettings s, ProxyConfig.ResumptionState resumption, OcspStapler stapler, IReadOnlyList<ProxyListener> proxies)
    {
        var next = Listeners(s, resumption);
        if (next.Count != proxies.Count) throw new CliException(ExitCodes.Usage, $"the number of listeners changed from {proxies.Count} to {next.Count}; that needs a restart");
        for (var i = 0; i < next.Count; i++)
        {
            var current = proxies[i].Options;
            var n = next[i].Options;
            if (!n.Listen.Equals(current.Listen)) throw new CliException(ExitCodes.Usage, $"listener '{next[i].Name}' moved from {current.Listen} to {n.Listen}; that needs a restart");
            if (n.MaxConnections != current.MaxConnections || n.MaxHandshakesPerClient != current.MaxHandshakesPerClient)
                throw new CliException(ExitCodes.Usage, $"listener '{next[i].Name}': MaxConnections and MaxHandshakesPerClient need a restart to change");
        }
        var stapled = Stapled(next, stapler);
        for (var i = 0; i < next.Count; i++) proxies[i].Reload(stapled[i]);
        var files = new List<string>();
        foreach (var l in next) files.AddRange(l.Files);
        if (s.ConfigFile is { } configFile) files.Add(Path.GetFullPath(configFile));
        return (Serving(proxies), files);
    }

    /// <summary>How long a ticket key seals: --ticket-rotation or the file's TicketRotation (not both); null for the default.</summary>
    private static TimeSpan? TicketRotation(ProxySettings s)
    {
        var fromFile = s.ConfigFile is { } config ? ProxyConfig.TicketRotation(config) : null;
        if (s.TicketRotation is not { } rotation) return fromFile;
        if (fromFile is not null) throw new CliException(ExitCodes.Usage, $"the ticket rotation is set both by --ticket-rotation and in {s.ConfigFile}; keep one");
        if (rotation < ProxyConfig.MinTicketRotation || rotation > ProxyConfig.MaxTicketRotation)
            throw new CliException(ExitCodes.Usage, $"--ticket-rotation must be {ProxyConfig.MinTicketRotation.TotalSeconds} to {ProxyConfig.MaxTicketRotation.TotalSeconds} seconds, not {rotation.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        return rotation;
    }

    /// <summary>The Redis connection for the fleet's resumption state (null without --redis); outages are said once each way.</summary>
    private static Tessera.Redis.RedisState? ConnectRedis(ProxySettings s, ServeLog events)
    {
        if (s.RedisKeyFile is not null && s.Redis is null) throw new CliException(ExitCodes.Usage, "--redis-key goes with --redis");
        var fromFile = s.ConfigFile is { } config ? ProxyConfig.Redis(config) : null;
        if (fromFile is not null && s.Redis is not null) throw new CliException(ExitCodes.Usage, $"Redis is set both by --redis and in {s.ConfigFile}; keep one");
        var configuration = s.Redis ?? fromFile?.Configuration;
        var keyFile = s.Redis is not null ? s.RedisKeyFile : fromFile?.KeyFile;
        if (configuration is null) return null;
        byte[] key = [];
        if (keyFile is { } file)
        {
            var text = System.Text.Encoding.ASCII.GetString(Files.Read(file)).Trim();
            try
            {
                key = Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                key = [];
            }
            if (key.Length != 32) throw new CliException(ExitCodes.Usage, $"{file} must hold 64 hex digits (a 32-byte key), e.g. from `openssl rand -hex 32`");
        }
        // The resumption interfaces are synchronous and StackExchange.Redis completes replies on the thread pool: a
        // larger minimum keeps handshakes waiting on Redis from starving those completions (see Tessera.Redis).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        Tessera.Redis.RedisState state;
        try
        {
            state = Tessera.Redis.RedisState.Connect(configuration, sealingKey: key);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, $"--redis '{configuration}': {e.Message}");
        }
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        state.Changed += (_, why) =>
        {
            if (why is null) events.Info($"Redis at {configuration} answers again: sessions, tickets and 0-RTT are shared with the fleet");
            else events.Warn($"Redis at {configuration} does not answer ({why}); until it does: full handshakes for sessions it holds, and no 0-RTT");
        };
        ProxyMetrics.Redis(() => state.IsAvailable);
        if (!state.Connection.IsConnected) events.Warn($"Redis at {configuration} does not answer yet; serving without shared sessions until it does");
        return state;
    }

    /// <summary>Why ADDRESS:PORT cannot be listened on, found by binding it for a moment; null when it can.</summary>
    private static string? MetricsAddressProblem(Endpoint at)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(at.Host, out var literal) ? [literal] : Dns.GetHostAddresses(at.Host);
        }
        catch (SocketException e)
        {
            return $"{at.Host} does not resolve ({SocketErrorText.Of(e)})";
        }
        if (addresses.Length == 0) return $"{at.Host} has no address";
        try
        {
            using var probe = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(addresses[0], at.Port));
            return null;
        }
        catch (SocketException e)
        {
            return SocketErrorText.Of(e);
        }
    }

    private static string ModeName(ProxyMode mode) => mode == ProxyMode.Http ? "http" : "tcp";
}
