using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Endpoint = Tessera.Cli.Settings.Endpoint;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>`tessera proxy` as the command runs it: `tessera connect` through it to a plaintext echo backend (tcp) or an HTTP backend (http).</summary>
[Collection("tessera home")]
public sealed class ProxyCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Connect_Through_The_Proxy_Reaches_The_Backend_And_Logs_One_Line(string logFormat)
    {
        TestHome.Ensure();
        var (cert, key) = IssueLocalhost();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var echo = EchoOnceAsync(backend);

        var log = new StringWriter();
        var errors = new StringWriter();
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<int>();
        var settings = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = cert,
            KeyFile = key,
            Backend = new Endpoint("127.0.0.1", ((IPEndPoint)backend.LocalEndpoint).Port),
            LogFormat = logFormat,
        };
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, log, errors, p => bound.TrySetResult(p), stop.Token));
        var port = await bound.Task.WaitAsync(Timeout);

        // connect relays stdin to the server and the server's bytes to stdout; stdin's end is close_notify, which the
        // proxy turns into end of stream at the backend, whose close comes back as close_notify.
        var console = new RecordingConsole();
        using var stdin = new MemoryStream("hello through tessera proxy\n"u8.ToArray());
        using var stdout = new MemoryStream();
        var exit = await ConnectCommand.RunAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
        }, console.Console, new StringWriter(), stdin, stdout, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("hello through tessera proxy\n", Encoding.UTF8.GetString(stdout.ToArray()));
        await echo.WaitAsync(Timeout);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        Assert.Contains("listening on 127.0.0.1:", errors.ToString(), StringComparison.Ordinal);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (logFormat == "json")
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("completed", doc.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("localhost", doc.RootElement.GetProperty("sni").GetString());
            Assert.Equal(28, doc.RootElement.GetProperty("bytes_from_client").GetInt64());
            Assert.Equal(28, doc.RootElement.GetProperty("bytes_to_client").GetInt64());
        }
        else
        {
            Assert.Matches(@" info client=127\.0\.0\.1:\d+ outcome=completed sni=localhost version=TLS1\.3 .* up=28 down=28 ", line);
        }
    }

    [Fact]
    public async Task Metrics_Are_Prometheus_Text_And_Count_The_Connection()
    {
        TestHome.Ensure();
        var (cert, key) = IssueLocalhost();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var echo = EchoOnceAsync(backend);
        var metricsPort = Tessera.Interop.Tests.Support.Ports.Free();
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<int>();
        var settings = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = cert,
            KeyFile = key,
            Backend = new Endpoint("127.0.0.1", ((IPEndPoint)backend.LocalEndpoint).Port),
            Metrics = new Endpoint("127.0.0.1", metricsPort),
        };
        var errors = new StringWriter();
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, new StringWriter(), errors, p => bound.TrySetResult(p), stop.Token));
        var port = await bound.Task.WaitAsync(Timeout);
        using var stdin = new MemoryStream("count me\n"u8.ToArray());
        using var stdout = new MemoryStream();
        Assert.Equal(ExitCodes.Success, await ConnectCommand.RunAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
        }, new RecordingConsole().Console, new StringWriter(), stdin, stdout, CancellationToken.None).WaitAsync(Timeout));
        await echo.WaitAsync(Timeout);

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));

        // Prometheus text exposition: comments, and "name{labels} value" samples.
        var samples = new List<(string Name, string Labels, double Value)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)( \d+)?$");
            Assert.True(m.Success, $"not a Prometheus sample: {line}");
            samples.Add((m.Groups[1].Value, m.Groups[2].Value, double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        Assert.Contains(samples, x => x.Name == "tessera_handshakes_total" && x.Labels.Contains("server", StringComparison.Ordinal) && x.Labels.Contains("tls_early_data=\"none\"", StringComparison.Ordinal) && x.Value >= 1);
        Assert.Contains(samples, x => x.Name == "tessera_proxy_connections_total" && x.Labels.Contains("outcome=\"completed\"", StringComparison.Ordinal) && x.Value == 1);
        Assert.Contains(samples, x => x.Name.StartsWith("tessera_proxy_bytes", StringComparison.Ordinal) && x.Labels.Contains("from_client", StringComparison.Ordinal) && x.Value == 9);
        Assert.Contains(samples, x => x.Name == "tessera_proxy_certificate_expiry_seconds" && x.Labels.Contains("CN=localhost", StringComparison.Ordinal) && x.Value > 29 * 86400);
        Assert.Contains(samples, x => x.Name == "tessera_proxy_certificate_expiry_timestamp_seconds" && x.Value > DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeSeconds());
        // Prometheus' conventions, not OpenTelemetry's: no scope labels on every series, the service named, handshake buckets in seconds.
        Assert.DoesNotContain("otel_scope", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown_service", text, StringComparison.Ordinal);
        Assert.Contains("service_name=\"tessera-proxy\"", text, StringComparison.Ordinal);
        Assert.Contains(samples, x => x.Name == "tessera_handshake_duration_seconds_bucket" && x.Labels.Contains("le=\"0.05\"", StringComparison.Ordinal));
        await Promtool.CheckMetricsAsync(text);
    }

    [Fact]
    public async Task New_Certificate_Files_Under_Load_Fail_No_Handshake_And_A_Mismatched_Pair_Is_Refused()
    {
        TestHome.Ensure();
        var ca = LocalCa.OpenOrCreateDev();
        var prefix = Path.Combine(TestHome.Path, $"reload-{Guid.NewGuid():N}");
        var (chainA, keyA, leafA) = ca.Issue(["localhost"], client: false, days: 30, KeyType.EcdsaP256);
        File.WriteAllText(prefix + ".pem", chainA);
        File.WriteAllText(prefix + ".key", keyA);
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var stop = new CancellationTokenSource();
        using var backendStop = new CancellationTokenSource();
        var echo = EchoManyAsync(backend, backendStop.Token);
        var log = new StringWriter();
        var bound = new TaskCompletionSource<int>();
        var settings = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = prefix + ".pem",
            KeyFile = prefix + ".key",
            Backend = new Endpoint("127.0.0.1", ((IPEndPoint)backend.LocalEndpoint).Port),
        };
        var connections = new StringWriter();
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, connections, log, p => bound.TrySetResult(p), stop.Token));
        var port = await bound.Task.WaitAsync(Timeout);

        // Four clients handshaking in a loop, each time with fresh options (no resumption: every handshake shows the certificate).
        var serials = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var loadEnd = new CancellationTokenSource();
        var trust = Tessera.Certificates.TrustStore.FromPemFile(TestHome.DevRoot);
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!loadEnd.IsCancellationRequested)
            {
                try
                {
                    using var tcp = new TcpClient { NoDelay = true };
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    await using var tls = new TlsStream(tcp.GetStream());
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await tls.AuthenticateAsClientAsync(new Connection.TlsClientOptions { TrustStore = trust }, "localhost", deadline.Token);
                    serials.AddOrUpdate(tls.Connection.PeerCertificates[0].SerialNumber, 1, (_, n) => n + 1);
                    await tls.ShutdownAsync(deadline.Token);
                }
                catch (Exception e) when (e is TlsException or IOException or SocketException or OperationCanceledException)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToArray();

        await WaitForAsync(() => serials.ContainsKey(leafA.SerialNumber));
        var (chainB, keyB, leafB) = ca.Issue(["localhost"], client: false, days: 30, KeyType.EcdsaP256);
        File.WriteAllText(prefix + ".pem", chainB);   // for a moment the pair does not match: that reload is refused
        File.WriteAllText(prefix + ".key", keyB);
        await WaitForAsync(() => serials.ContainsKey(leafB.SerialNumber));

        // A certificate whose key is not the one beside it: refused, and B goes on being served.
        var (chainC, _, leafC) = ca.Issue(["localhost"], client: false, days: 30, KeyType.EcdsaP256);
        File.WriteAllText(prefix + ".pem", chainC);
        await WaitForAsync(() => Snapshot(log).Contains($"reload refused", StringComparison.Ordinal) && Snapshot(log).Contains($"still serving CN=localhost serial {leafB.SerialNumber}", StringComparison.Ordinal));
        var servedB = serials[leafB.SerialNumber];
        await WaitForAsync(() => serials[leafB.SerialNumber] > servedB + 20);

        await loadEnd.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(Timeout);
        await stop.CancelAsync();
        var stopped = await Task.WhenAny(run, Task.Delay(Timeout)) == run;
        Assert.True(stopped, $"the proxy did not stop; its log:\n{log}\nconnections (last 10):\n{string.Join('\n', connections.ToString().Split('\n').TakeLast(10))}");
        Assert.Equal(ExitCodes.Success, await run);
        // The backend outlives the proxy's drain, as in production: the connections still relaying finish normally.
        await backendStop.CancelAsync();
        await echo.WaitAsync(Timeout);
        Assert.True(failures.IsEmpty, $"{failures.Count} handshakes failed, first: {(failures.TryPeek(out var f) ? f : "")}");
        Assert.False(serials.ContainsKey(leafC.SerialNumber), "a certificate without its key was served");
        Assert.Contains($"now serving CN=localhost serial {leafB.SerialNumber}", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// What a log writer holds so far. The proxy writes under the writer's lock from its own threads; a StringWriter read
    /// without that lock while a line is appended can throw from StringBuilder.ToString (seen in CI).
    /// </summary>
    internal static string Snapshot(StringWriter writer)
    {
        lock (writer) return writer.ToString();
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(50);
        }
    }

    /// <summary>A plaintext echo backend for any number of connections, until <paramref name="stop"/>.</summary>
    private static async Task EchoManyAsync(TcpListener listener, CancellationToken stop)
    {
        var open = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                open.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        try
                        {
                            int n;
                            while ((n = await stream.ReadAsync(buffer, stop)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n), stop);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException)
                        {
                            // The proxy ended the connection, or the test is over.
                        }
                    }
                }));
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
        await Task.WhenAll(open);
    }

    [Fact]
    public async Task The_Process_Reloads_On_Sighup_During_A_Running_Bench_Without_A_Failed_Handshake_And_Stops_On_Sigterm()
    {
        TestHome.Ensure();
        var (cert, key) = IssueLocalhost();
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        using var backendStop = new CancellationTokenSource();
        var echo = EchoManyAsync(backend, backendStop.Token);
        using var proxy = Proc.Tessera($"proxy --listen 127.0.0.1:0 --cert {cert} --key {key} --backend 127.0.0.1:{((IPEndPoint)backend.LocalEndpoint).Port}");
        await proxy.WaitForAsync("listening on 127.0.0.1:", Timeout);
        var port = int.Parse(System.Text.RegularExpressions.Regex.Match(proxy.Output, @"listening on 127\.0\.0\.1:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // tessera bench: 4 clients handshaking (and echoing a few bytes) for 4 s, full handshakes, while the certificate changes.
        var bench = BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = 4,
            Duration = TimeSpan.FromSeconds(4),
            RequestBytes = 16,
        }, CancellationToken.None);
        await Task.Delay(1000);
        var (chain, newKey, leaf) = LocalCa.OpenOrCreateDev().Issue(["localhost"], client: false, days: 30, KeyType.EcdsaP256);
        // The files are replaced, then SIGHUP: whichever comes first (the file watcher or the signal) reloads them; the
        // signal's reload is the one this test waits for.
        File.WriteAllText(cert, chain);
        File.WriteAllText(key, newKey);
        await Task.Delay(100);
        await proxy.SignalAsync("HUP");
        await proxy.WaitForAsync($"reloaded (SIGHUP): now serving CN=localhost serial {leaf.SerialNumber}", Timeout);
        var result = await bench.WaitAsync(Timeout);
        Assert.True(result.Errors == 0, $"{result.Errors} of {result.Handshakes + result.Errors} handshakes failed during the reload, first: {string.Join("; ", result.FirstErrors)}");
        Assert.True(result.Handshakes > 20, $"only {result.Handshakes} handshakes in 4 s");
        await proxy.SignalAsync("TERM");
        Assert.Equal(ExitCodes.Success, await proxy.ExitAsync(Timeout));
        Assert.Contains("tessera proxy: stopped", proxy.Output, StringComparison.Ordinal);
        await backendStop.CancelAsync();
        await echo.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData("xml", "tcp", false, "--log-format must be text or json, not 'xml'")]
    [InlineData("text", "udp", false, "--mode must be tcp or http, not 'udp'")]
    [InlineData("text", "http", true, "--proxy-protocol is for the tcp mode")]
    public async Task A_Bad_Option_Is_Refused_With_A_Sentence(string logFormat, string mode, bool proxyProtocol, string sentence)
    {
        TestHome.Ensure();
        var (cert, key) = IssueLocalhost();
        var errors = new StringWriter();
        var exit = await ProxyCommand.RunAsync(new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = cert,
            KeyFile = key,
            Backend = new Endpoint("127.0.0.1", 9),
            LogFormat = logFormat,
            Mode = mode,
            ProxyProtocol = proxyProtocol,
        }, new StringWriter(), errors, null, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(sentence, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_Mode_Forwards_A_Request_From_Connect_And_Logs_The_Request_And_The_Connection()
    {
        TestHome.Ensure();
        var (cert, key) = IssueLocalhost();
        var backend = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        backend.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = backend.Build();
        app.Run(context => context.Response.WriteAsync($"backend saw {context.Request.Path} for {context.Request.Headers["X-Forwarded-For"]} over {context.Request.Headers["X-Forwarded-Proto"]}"));
        await app.StartAsync();
        var backendPort = new Uri(app.Urls.First()).Port;

        var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<int>();
        var settings = new ProxySettings
        {
            Listen = new Endpoint("127.0.0.1", 0),
            CertFile = cert,
            KeyFile = key,
            Backend = new Endpoint("127.0.0.1", backendPort),
            Mode = "http",
        };
        var errors = new StringWriter();
        var run = Task.Run(() => ProxyCommand.RunAsync(settings, log, errors, p => bound.TrySetResult(p), stop.Token));
        var port = await bound.Task.WaitAsync(Timeout);

        // No ALPN from connect: Kestrel speaks HTTP/1.1, as to any client that does not offer h2.
        using var stdin = new MemoryStream("GET /from-connect HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var stdout = new MemoryStream();
        var exit = await ConnectCommand.RunAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
        }, new RecordingConsole().Console, new StringWriter(), stdin, stdout, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ExitCodes.Success, exit);
        var response = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("backend saw /from-connect for 127.0.0.1 over https", response, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        Assert.Contains("(http)", errors.ToString(), StringComparison.Ordinal);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@" info client=127\.0\.0\.1:\d+ request=""GET /from-connect HTTP/1\.1"" host=localhost status=200 ", lines[0]);
        Assert.Matches(@" info client=127\.0\.0\.1:\d+ outcome=completed sni=localhost version=TLS1\.3 ", lines[1]);
    }

    private static (string Cert, string Key) IssueLocalhost()
    {
        var (chain, key, _) = LocalCa.OpenOrCreateDev().Issue(["localhost", "127.0.0.1"], client: false, days: 30, KeyType.EcdsaP256);
        var prefix = Path.Combine(TestHome.Path, $"proxy-{Guid.NewGuid():N}");
        File.WriteAllText(prefix + ".pem", chain);
        File.WriteAllText(prefix + ".key", key);
        return (prefix + ".pem", prefix + ".key");
    }

    /// <summary>A plaintext backend for one connection: echoes until the proxy half-closes, then closes.</summary>
    private static async Task EchoOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n));
    }
}
