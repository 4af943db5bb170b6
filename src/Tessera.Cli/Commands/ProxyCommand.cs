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
using Tessera.Proxy.Hosting;
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
        var acme = new Option<string?>("--acme") { Description = "Get and renew the certificate from this ACME directory (https URL) instead of --cert/--key; needs --server-name" };
        var acmeEmail = new Option<string?>("--acme-email") { Description = "Contact address for the ACME account" };
        var acmeCa = new Option<string?>("--acme-ca") { Description = "PEM roots that vouch for the ACME directory's HTTPS certificate (a private CA)" };
        var acmeChallenge = new Option<string>("--acme-challenge") { Description = "tls-alpn-01 (answered on --listen), http-01 (answered on --http-redirect) or dns-01 (--acme-dns-hook)", DefaultValueFactory = _ => "tls-alpn-01" };
        var acmeDnsHook = new Option<string?>("--acme-dns-hook") { Description = "dns-01: program run as `PROGRAM present|cleanup NAME VALUE` to set the TXT record" };
        var acmeProfile = new Option<string?>("--acme-profile") { Description = "The certificate profile to order (one the CA's directory lists, e.g. shortlived)" };
        var serverName = new Option<string[]>("--server-name") { Description = "The site's host names (repeatable): what the ACME certificate is ordered for", AllowMultipleArgumentsPerToken = true };
        var httpRedirect = new Option<string?>("--http-redirect") { Description = "ADDRESS:PORT of a plain-HTTP listener that answers http-01 and redirects everything else to https" };
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
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the configuration and say which certificate each site would serve (files, a stored ACME certificate and its renewal, or an order at start); listen and order nothing" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json: one line per connection", DefaultValueFactory = _ => "text" };
        var command = new Command("proxy", "Terminate TLS in front of a backend: relay the bytes (tcp) or reverse-proxy HTTP (http)")
        {
            config, listen, cert, key, acme, acmeEmail, acmeCa, acmeChallenge, acmeDnsHook, acmeProfile, serverName, httpRedirect, backend, mode, proxyProtocol, ocsp, earlyData, alpn, tls12, tls13, maxConnections, perClient, handshakeTimeout, idleTimeout, drainTimeout, redis, redisKey, ticketRotation, metrics, logFormat, dryRun,
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
                    Option[] perSite = [listen, cert, key, acme, acmeEmail, acmeCa, acmeChallenge, acmeDnsHook, acmeProfile, serverName, httpRedirect, backend, mode, proxyProtocol, ocsp, earlyData, alpn, tls12, tls13, maxConnections, perClient, handshakeTimeout, idleTimeout];
                    foreach (var o in perSite)
                        if (parse.GetResult(o) is { Implicit: false }) throw new CliException(ExitCodes.Usage, $"{o.Name} goes in the configuration file when --config is given");
                }
                else
                {
                    foreach (var o in parse.GetValue(acme) is null ? new[] { listen, cert, key, backend } : [listen, backend])
                        if (parse.GetValue(o) is null) throw new CliException(ExitCodes.Usage, $"{o.Name} is required (or --config FILE)");
                }
                settings = new ProxySettings
                {
                    ConfigFile = configFile,
                    Listen = parse.GetValue(listen) is { } l ? Endpoint.Parse(l) : null,
                    CertFile = parse.GetValue(cert),
                    KeyFile = parse.GetValue(key),
                    AcmeDirectory = parse.GetValue(acme),
                    AcmeEmail = parse.GetValue(acmeEmail),
                    AcmeCaFile = parse.GetValue(acmeCa),
                    AcmeChallenge = parse.GetValue(acmeChallenge)!,
                    AcmeProfile = parse.GetValue(acmeProfile),
                    AcmeDnsHook = parse.GetValue(acmeDnsHook),
                    ServerNames = parse.GetValue(serverName) ?? [],
                    HttpRedirect = parse.GetValue(httpRedirect) is { } hr ? Endpoint.Parse(hr) : null,
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
            if (parse.GetValue(dryRun)) return await DryRunAsync(settings, Console.Out, Console.Error);
            return await RunAsync(settings, Console.Out, Console.Error, null, cancellationToken);
        });
        return command;
    }

    private static TimeSpan Seconds(string option, double value) =>
        value > 0 && value <= 86_400 ? TimeSpan.FromSeconds(value)
            : throw new CliException(ExitCodes.Usage, $"{option} must be a number of seconds above 0 and at most 86400, not {value.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// What the proxy serves: the configuration file's listeners (with --redis and --ticket-rotation joined to it), or
    /// the one listener "main" with the one site "default" the command line describes. Called at start and on every
    /// reload; the proxy host checks the result, naming flags as flags and the file's keys as the file's.
    /// </summary>
    internal static ProxyConfiguration Configuration(ProxySettings s)
    {
        if (s.RedisKeyFile is not null && s.Redis is null) throw new CliException(ExitCodes.Usage, "--redis-key goes with --redis");
        var redis = s.Redis is { } r ? new ProxyRedisConfiguration { Configuration = r, KeyFile = s.RedisKeyFile } : null;
        if (s.ConfigFile is { } file)
        {
            var fromFile = ProxyConfigurationFile.Load(file);
            if (fromFile.Redis is not null && redis is not null) throw new CliException(ExitCodes.Usage, $"Redis is set both by --redis and in {file}; keep one");
            if (fromFile.TicketRotation is not null && s.TicketRotation is not null) throw new CliException(ExitCodes.Usage, $"the ticket rotation is set both by --ticket-rotation and in {file}; keep one");
            return fromFile with
            {
                Redis = fromFile.Redis ?? redis,
                TicketRotation = fromFile.TicketRotation ?? s.TicketRotation,
                NameSetting = at => at.Listener is null && (at.Key == "Redis" && redis is not null || at.Key == "TicketRotation" && s.TicketRotation is not null)
                    ? Flag(at) : fromFile.Name(at),
            };
        }
        var mode = s.Mode switch
        {
            "tcp" => ProxyMode.Tcp,
            "http" => ProxyMode.Http,
            _ => throw new CliException(ExitCodes.Usage, $"--mode must be tcp or http, not '{s.Mode}'"),
        };
        if (s.Tls12Only && s.Tls13Only) throw new CliException(ExitCodes.Usage, "--tls1.2 and --tls1.3 exclude each other");
        if (s.Listen is null || s.Backend is null || (s.AcmeDirectory is null && (s.CertFile is null || s.KeyFile is null)))
            throw new CliException(ExitCodes.Usage, "--listen, --cert, --key and --backend are required (or --acme in place of --cert and --key, or --config FILE)");
        if (s.AcmeDirectory is not null && (s.CertFile is not null || s.KeyFile is not null)) throw new CliException(ExitCodes.Usage, "--acme replaces --cert and --key; give one or the other");
        if (s.AcmeDirectory is not null && s.ServerNames.Count == 0) throw new CliException(ExitCodes.Usage, "--acme needs --server-name: the names the certificate is ordered for");
        if (s.Ocsp is not ("auto" or "off")) throw new CliException(ExitCodes.Usage, $"--ocsp must be auto or off, not '{s.Ocsp}'");
        Tessera.Proxy.Acme.ProxyAcmeSettings? acme = null;
        if (s.AcmeDirectory is { } directoryText)
        {
            if (!Uri.TryCreate(directoryText, UriKind.Absolute, out var directory) || directory.Scheme != Uri.UriSchemeHttps)
                throw new CliException(ExitCodes.Usage, $"--acme must be the CA's https directory URL, not '{directoryText}'");
            acme = new Tessera.Proxy.Acme.ProxyAcmeSettings
            {
                Directory = directory, Email = s.AcmeEmail, CaFile = s.AcmeCaFile is { } ca ? Path.GetFullPath(ca) : null,
                Challenge = s.AcmeChallenge, Profile = s.AcmeProfile, DnsHook = s.AcmeDnsHook,
            };
        }
        var site = new ProxySiteConfiguration
        {
            Name = "default",
            ServerNames = s.ServerNames,
            Certificate = s.CertFile,
            Key = s.KeyFile,
            Acme = acme,
            Backend = new HostPort(s.Backend.Host, s.Backend.Port),
            Mode = mode,
            Alpn = s.Alpn,
            ProxyProtocol = s.ProxyProtocol,
            MinVersion = s.Tls13Only ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12,
            MaxVersion = s.Tls12Only ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
            HandshakeTimeout = s.HandshakeTimeout,
            Ocsp = s.Ocsp == "auto",
            EarlyData = s.EarlyData,
        };
        return new ProxyConfiguration
        {
            Listeners =
            [
                new ProxyListenerConfiguration
                {
                    Name = "main",
                    Listen = new HostPort(s.Listen.Host, s.Listen.Port),
                    Sites = [site],
                    MaxConnections = s.MaxConnections,
                    MaxHandshakesPerClient = s.MaxHandshakesPerClient,
                    IdleTimeout = s.IdleTimeout,
                },
            ],
            Redis = redis,
            TicketRotation = s.TicketRotation,
            NameSetting = Flag,
            Acme = acme is null && s.HttpRedirect is null ? null : new Tessera.Proxy.Acme.ProxyAcmeOptions
            {
                Storage = Path.Combine(Tessera.Pki.LocalCa.Home, "acme"),
                HttpListen = s.HttpRedirect is { } h ? new HostPort(h.Host, h.Port) : null,
            },
        };
    }

    /// <summary>The flag that sets a setting of the command line's one listener and site.</summary>
    private static string Flag(ProxySetting at) => at.Key switch
    {
        "Listen" => "--listen",
        "Certificate" => "--cert",
        "Key" => "--key",
        "Acme" => "--acme",
        "Acme:Challenge" => "--acme-challenge",
        "Acme:DnsHook" => "--acme-dns-hook",
        "Acme:KeyType" => "--acme",
        "ServerNames" => "--server-name",
        "Backend" => "--backend",
        "Mode" => "--mode",
        "Alpn" => "--alpn",
        "ProxyProtocol" => "--proxy-protocol",
        "EarlyData" => "--early-data",
        "Versions" => "--tls1.2/--tls1.3",
        "Ocsp" => "--ocsp",
        "HandshakeTimeout" => "--handshake-timeout",
        "IdleTimeout" => "--idle-timeout",
        "MaxConnections" => "--max-connections",
        "MaxHandshakesPerClient" => "--max-handshakes-per-client",
        "Redis" => "--redis",
        "TicketRotation" => "--ticket-rotation",
        _ => at.ToString(),
    };

    /// <summary>`--dry-run`: the configuration checked as a start checks it, then one line per site about its certificate.</summary>
    internal static async Task<int> DryRunAsync(ProxySettings s, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            foreach (var line in await Tessera.Proxy.Acme.ProxyAcmePlan.DescribeAsync(Configuration(s))) await stdout.WriteLineAsync(line);
            return ExitCodes.Success;
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return e.ExitCode;
        }
        catch (ProxyHostException e)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return ExitCodes.For(e.Failure);
        }
    }

    /// <param name="bound">Told the actual port of the first listener once listening (tests use port 0).</param>
    internal static async Task<int> RunAsync(ProxySettings s, TextWriter stdout, TextWriter stderr, Action<int>? bound, CancellationToken cancellationToken)
    {
        if (s.LogFormat is not ("text" or "json"))
        {
            await stderr.WriteLineAsync($"tessera proxy: --log-format must be text or json, not '{s.LogFormat}'");
            return ExitCodes.Usage;
        }
        var log = new ProxyLog(stdout, s.LogFormat == "json");
        var events = new ServeLog(stderr, verbose: false);
        await using var host = new ProxyHost(() => Configuration(s), new ProxyHostOptions
        {
            Connections = log.Connection,
            Requests = log.Request,
            Events = e =>
            {
                if (e.IsWarning) events.Warn(e.Message);
                else events.Info(e.Message);
            },
        });
        try
        {
            host.Start();
        }
        catch (Exception e) when (e is CliException or ProxyHostException)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return e is CliException c ? c.ExitCode : ExitCodes.For(((ProxyHostException)e).Failure);
        }
        MeterProvider? exporter = null;
        if (s.Metrics is { } at)
        {
            try
            {
                // The core's handshake instruments, the proxy's own and the ACME client's. The exporter stays the tool's
                // choice (a pre-release package): the libraries only publish their meters.
                exporter = PrometheusEndpoint.Start(at, "tessera-proxy", TesseraMetrics.MeterName, ProxyMetrics.MeterName, Tessera.Acme.AcmeMetrics.MeterName);
            }
            catch (CliException e)
            {
                events.Line($"tessera proxy: {e.Message}");
                return e.ExitCode;
            }
        }
        using var metricsExporter = exporter;
        // On stderr, so that with --log-format json stdout holds only log objects.
        foreach (var p in host.Listeners)
        {
            var listenHost = s.ConfigFile is null ? s.Listen!.Host : p.Options.Listen.Address.ToString();
            foreach (var site in p.Options.Sites)
            {
                var names = site.ServerNames.Count == 0 ? "" : $" for {string.Join(", ", site.ServerNames)}";
                events.Line($"tessera proxy: listening on {new Endpoint(listenHost, p.LocalEndPoint.Port)} ({ModeName(site.Mode)}){names}, backend {site.Backend}{(site.ProxyProtocol ? " with PROXY v2" : "")}, {(site.Tls.Certificates.Count > 0 ? $"certificate {site.Tls.Certificates[0].Leaf.Subject}" : "certificate from ACME (being ordered)")}");
            }
        }
        if (s.Metrics is { } mx) events.Line($"tessera proxy: metrics on http://{mx}/metrics");
        using var reloader = new ProxyReloader(() => (host.Reload(), host.WatchedFiles), () => host.Serving, host.WatchedFiles, events);
        reloader.HandleSignals();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = reloader.WatchAsync(stopWatching.Token);
        bound?.Invoke(host.Listeners[0].LocalEndPoint.Port);
        await host.RunAsync(s.DrainTimeout, cancellationToken);
        await stopWatching.CancelAsync();
        await watching;
        events.Line("tessera proxy: stopped");
        return ExitCodes.Success;
    }

    /// <summary>Why ADDRESS:PORT cannot be listened on, found by binding it for a moment; null when it can.</summary>
    private static string ModeName(ProxyMode mode) => mode == ProxyMode.Http ? "http" : "tcp";
}
