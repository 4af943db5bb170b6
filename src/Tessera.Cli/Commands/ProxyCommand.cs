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
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to accept TLS on (port 0 picks a free port and prints it)", Required = true };
        var cert = new Option<string>("--cert") { Description = "Certificate chain (PEM), end-entity first", Required = true };
        var key = new Option<string>("--key") { Description = "Private key (PEM)", Required = true };
        var backend = new Option<string>("--backend") { Description = "HOST:PORT that receives the decrypted bytes (tcp) or the requests over HTTP/1.1 (http)", Required = true };
        var mode = new Option<string>("--mode") { Description = "tcp: relay the bytes; http: reverse-proxy HTTP/2 and HTTP/1.1 with X-Forwarded-For/-Proto/-Host", DefaultValueFactory = _ => "tcp" };
        var proxyProtocol = new Option<bool>("--proxy-protocol") { Description = "tcp mode: send a PROXY protocol v2 header first (client address, SNI, ALPN, TLS version)" };
        var alpn = new Option<string[]>("--alpn") { Description = "tcp mode: ALPN protocols to accept, in preference order (http mode offers h2 and http/1.1)", AllowMultipleArgumentsPerToken = true };
        var tls12 = new Option<bool>("--tls1.2") { Description = "Only TLS 1.2" };
        var tls13 = new Option<bool>("--tls1.3") { Description = "Only TLS 1.3" };
        var maxConnections = new Option<int>("--max-connections") { Description = "Connections served at once; more wait in the backlog", DefaultValueFactory = _ => 10_000 };
        var perClient = new Option<int>("--max-handshakes-per-client") { Description = "Handshakes in progress at once from one client address", DefaultValueFactory = _ => 64 };
        var handshakeTimeout = new Option<double>("--handshake-timeout") { Description = "Seconds a client has to complete the handshake", DefaultValueFactory = _ => 10 };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Seconds without data either way before a connection is closed", DefaultValueFactory = _ => 300 };
        var drainTimeout = new Option<double>("--drain-timeout") { Description = "Seconds open connections get to finish when stopping", DefaultValueFactory = _ => 30 };
        var metrics = new Option<string?>("--metrics") { Description = "ADDRESS:PORT to serve Prometheus text on /metrics" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json: one line per connection", DefaultValueFactory = _ => "text" };
        var command = new Command("proxy", "Terminate TLS in front of a backend: relay the bytes (tcp) or reverse-proxy HTTP (http)")
        {
            listen, cert, key, backend, mode, proxyProtocol, alpn, tls12, tls13, maxConnections, perClient, handshakeTimeout, idleTimeout, drainTimeout, metrics, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ProxySettings settings;
            try
            {
                settings = new ProxySettings
                {
                    Listen = Endpoint.Parse(parse.GetValue(listen)!),
                    CertFile = parse.GetValue(cert)!,
                    KeyFile = parse.GetValue(key)!,
                    Backend = Endpoint.Parse(parse.GetValue(backend)!),
                    Mode = parse.GetValue(mode)!,
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
        if (s.LogFormat is not ("text" or "json")) throw new CliException(ExitCodes.Usage, $"--log-format must be text or json, not '{s.LogFormat}'");
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
                SessionIdCache = new Resumption.ServerSessionCache(),
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

    /// <param name="bound">Told the actual port once listening (tests use port 0).</param>
    internal static async Task<int> RunAsync(ProxySettings s, TextWriter stdout, TextWriter stderr, Action<int>? bound, CancellationToken cancellationToken)
    {
        ProxyListener proxy;
        ProxyListenerOptions options;
        try
        {
            options = BuildOptions(s);
            var log = new ProxyLog(stdout, s.LogFormat == "json");
            proxy = new ProxyListener(options, log.Connection, log.Request);
            proxy.Start();
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return e.ExitCode;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"tessera proxy: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // Kestrel reports a port in use as an IOException around the SocketException.
            await stderr.WriteLineAsync($"tessera proxy: cannot listen on {s.Listen}: {e.Message}");
            return ExitCodes.ConnectionFailed;
        }
        MeterProvider? exporter = null;
        if (s.Metrics is { } at)
        {
            try
            {
                // The core's handshake instruments and the proxy's own, as Prometheus text on http://ADDRESS:PORT/metrics.
                exporter = Sdk.CreateMeterProviderBuilder()
                    .AddMeter(TesseraMetrics.MeterName, ProxyMetrics.MeterName)
                    .AddPrometheusHttpListener(o => { o.Host = at.Host; o.Port = at.Port; })
                    .Build();
            }
            catch (Exception e) when (e is HttpListenerException or InvalidOperationException or ArgumentException)
            {
                await proxy.DisposeAsync();
                await stderr.WriteLineAsync($"tessera proxy: cannot serve metrics on {at}: {e.Message}");
                return ExitCodes.ConnectionFailed;
            }
        }
        using var metricsExporter = exporter;
        await using (proxy)
        {
            var port = proxy.LocalEndPoint.Port;
            // On stderr, so that with --log-format json stdout holds only log objects.
            await stderr.WriteLineAsync($"tessera proxy: listening on {new Endpoint(s.Listen.Host, port)} ({s.Mode}), backend {s.Backend}{(s.ProxyProtocol ? " with PROXY v2" : "")}{(s.Metrics is { } mx ? $", metrics on http://{mx}/metrics" : "")}, certificate {options.Sites[0].Tls.Certificates[0].Leaf.Subject}");
            using var reloader = new ProxyReloader(proxy, s.CertFile, s.KeyFile, new ServeLog(stderr, verbose: false));
            reloader.HandleSignals();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watching = reloader.WatchAsync(stopWatching.Token);
            bound?.Invoke(port);
            await proxy.RunAsync(s.DrainTimeout, cancellationToken);
            await stopWatching.CancelAsync();
            await watching;
            await stderr.WriteLineAsync("tessera proxy: stopped");
        }
        return ExitCodes.Success;
    }
}
