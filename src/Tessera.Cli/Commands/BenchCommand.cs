using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Cli.Settings;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>What `tessera bench` was asked to do.</summary>
internal sealed record BenchSettings
{
    public required Endpoint Target { get; init; }
    public string? ServerName { get; init; }
    public string? CaFile { get; init; }
    public bool Insecure { get; init; }
    public int Connections { get; init; } = 8;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public int? Count { get; init; }
    public bool Resume { get; init; }
    public int RequestBytes { get; init; }
    public bool Tls12Only { get; init; }
    public bool Tls13Only { get; init; }
    /// <summary>Key exchange groups by name, comma-separated; null keeps the client's defaults (X25519MLKEM768 first).</summary>
    public string? Groups { get; init; }
    public bool Json { get; init; }
}

/// <summary>What one `tessera bench` run measured.</summary>
internal sealed record BenchResult(long Handshakes, long Resumed, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, long Bytes, IReadOnlyList<string> FirstErrors)
{
    public double HandshakesPerSecond => Handshakes / Seconds;
}

/// <summary>
/// `tessera bench HOST:PORT`: N concurrent clients doing full (or resumed) handshakes for a time or a count, like
/// openssl s_time and h2load; reports handshakes/s, latency percentiles (TCP connect + handshake), throughput and errors.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "HOST:PORT of the server" };
        var serverName = new Option<string?>("--servername") { Description = "SNI and verification name (default: HOST)" };
        var ca = new Option<string?>("--ca") { Description = "Trusted roots (PEM); default: the system store" };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify the certificate (measures the protocol only)" };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent clients", DefaultValueFactory = _ => 8 };
        var duration = new Option<double>("--duration", "-t") { Description = "Seconds to run", DefaultValueFactory = _ => 10 };
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many handshakes instead" };
        var resume = new Option<bool>("--resume") { Description = "Resume sessions (tickets) after each client's first handshake" };
        var request = new Option<int>("--request-bytes") { Description = "After each handshake send this many bytes and read as many back (echo servers)" };
        var tls12 = new Option<bool>("--tls1.2") { Description = "Only TLS 1.2" };
        var tls13 = new Option<bool>("--tls1.3") { Description = "Only TLS 1.3" };
        var groups = new Option<string?>("--groups") { Description = "Key exchange groups to offer, e.g. x25519 to compare with peers that lack X25519MLKEM768" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("bench", "Load-test a TLS server: handshakes per second, latency percentiles, errors")
        {
            target, serverName, ca, insecure, connections, duration, count, resume, request, tls12, tls13, groups, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new BenchSettings
            {
                Target = Endpoint.Parse(parse.GetValue(target)!),
                ServerName = parse.GetValue(serverName),
                CaFile = parse.GetValue(ca),
                Insecure = parse.GetValue(insecure),
                Connections = parse.GetValue(connections),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Count = parse.GetValue(count),
                Resume = parse.GetValue(resume),
                RequestBytes = parse.GetValue(request),
                Tls12Only = parse.GetValue(tls12),
                Tls13Only = parse.GetValue(tls13),
                Groups = parse.GetValue(groups),
                Json = parse.GetValue(json),
            };
            var result = await RunAsync(settings, cancellationToken);
            Write(AnsiConsole.Console, settings, result);
            return result.Errors == 0 ? ExitCodes.Success : ExitCodes.HandshakeFailed;
        });
        return command;
    }

    internal static async Task<BenchResult> RunAsync(BenchSettings s, CancellationToken cancellationToken)
    {
        if (s.Connections is < 1 or > 10_000) throw new CliException(ExitCodes.Usage, "--connections must be 1..10000");
        if (s.Tls12Only && s.Tls13Only) throw new CliException(ExitCodes.Usage, "--tls1.2 and --tls1.3 exclude each other");
        var groups = s.Groups is not null ? TlsNameFlags.Groups(s.Groups, s.Tls12Only) : null;
        var trust = s.CaFile is not null ? Files.Trust(s.CaFile) : TrustStore.System;
        var host = s.ServerName ?? s.Target.Host;
        var latencies = new List<double>[s.Connections];
        var errors = new List<string>();
        long handshakes = 0, resumed = 0, errorCount = 0, bytes = 0, started = 0;
        var clock = Stopwatch.StartNew();
        var payload = new byte[Math.Max(0, s.RequestBytes)];

        async Task Worker(int index)
        {
            latencies[index] = [];
            // One options object per client: its session store carries that client's tickets when resuming.
            var options = new TlsClientOptions
            {
                CertificateVerifier = s.Insecure ? new InsecureSkipVerification() : null,
                TrustStore = trust,
                SessionStore = s.Resume ? new Resumption.InMemoryClientSessionStore() : null,
                MinVersion = s.Tls13Only ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12,
                MaxVersion = s.Tls12Only ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
            };
            if (groups is not null) options = options with { Groups = groups };
            var buffer = new byte[Math.Max(4096, payload.Length)];
            while (!cancellationToken.IsCancellationRequested && clock.Elapsed < s.Duration)
            {
                if (s.Count is { } max && Interlocked.Increment(ref started) > max) break;
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var tcp = new TcpClient { NoDelay = true };
                    await tcp.ConnectAsync(s.Target.Host, s.Target.Port, cancellationToken);
                    await using var tls = new TlsStream(tcp.GetStream());
                    await tls.AuthenticateAsClientAsync(options, host, cancellationToken);
                    latencies[index].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    Interlocked.Increment(ref handshakes);
                    if (tls.Connection.WasResumed) Interlocked.Increment(ref resumed);
                    if (payload.Length > 0)
                    {
                        await tls.WriteAsync(payload, cancellationToken);
                        var got = 0;
                        while (got < payload.Length)
                        {
                            var n = await tls.ReadAsync(buffer, cancellationToken);
                            if (n == 0) throw new IOException("the server closed before echoing the request");
                            got += n;
                        }
                        Interlocked.Add(ref bytes, 2L * payload.Length);
                    }
                    // Close politely, as a real client should: close_notify, then read until the server's (tickets
                    // arrive on the way; a resuming client needs them). Closing with unread data would make the
                    // kernel reset the connection, and the server would log a client that vanished.
                    await tls.ShutdownAsync(cancellationToken);
                    using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    drain.CancelAfter(TimeSpan.FromSeconds(2));
                    try { while (await tls.ReadAsync(buffer, drain.Token) > 0) { } }
                    catch (Exception e) when (e is TlsException or IOException or OperationCanceledException) { /* the round is over either way */ }
                }
                catch (Exception e) when (e is TlsException or IOException or SocketException)
                {
                    Interlocked.Increment(ref errorCount);
                    lock (errors) if (errors.Count < 5) errors.Add(e.Message);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        var workers = new Task[s.Connections];
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i;
            workers[i] = Task.Run(() => Worker(index), cancellationToken);
        }
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        return new BenchResult(handshakes, resumed, errorCount, seconds, Percentile(0.50), Percentile(0.99), all.Length == 0 ? 0 : all[^1], bytes, errors);
    }

    internal static void Write(IAnsiConsole console, BenchSettings s, BenchResult r)
    {
        if (s.Json)
        {
            // Written by hand rather than serialized by reflection, so the command works in the Native AOT build.
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("target", s.Target.ToString());
                w.WriteNumber("connections", s.Connections);
                w.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                w.WriteNumber("handshakes", r.Handshakes);
                w.WriteNumber("resumed", r.Resumed);
                w.WriteNumber("handshakes_per_second", Math.Round(r.HandshakesPerSecond, 1));
                w.WriteStartObject("latency_ms");
                w.WriteNumber("p50", Math.Round(r.P50Ms, 3));
                w.WriteNumber("p99", Math.Round(r.P99Ms, 3));
                w.WriteNumber("max", Math.Round(r.MaxMs, 3));
                w.WriteEndObject();
                w.WriteNumber("bytes", r.Bytes);
                w.WriteNumber("errors", r.Errors);
                w.WriteStartArray("first_errors");
                foreach (var e in r.FirstErrors) w.WriteStringValue(e);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn($"tessera bench {Markup.Escape(s.Target.ToString())}").AddColumn("result");
        void Add(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Add("connections", s.Connections.ToString(CultureInfo.InvariantCulture));
        Add("duration", string.Create(CultureInfo.InvariantCulture, $"{r.Seconds:0.0} s"));
        Add("handshakes", string.Create(CultureInfo.InvariantCulture, $"{r.Handshakes} ({r.Resumed} resumed)"));
        Add("handshakes/s", string.Create(CultureInfo.InvariantCulture, $"{r.HandshakesPerSecond:0.0}"));
        Add("latency p50 / p99 / max", string.Create(CultureInfo.InvariantCulture, $"{r.P50Ms:0.00} / {r.P99Ms:0.00} / {r.MaxMs:0.00} ms"));
        if (r.Bytes > 0) Add("throughput", string.Create(CultureInfo.InvariantCulture, $"{r.Bytes / r.Seconds / 1e6:0.00} MB/s"));
        Add("errors", r.Errors.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var e in r.FirstErrors) console.MarkupLine($"[red]error:[/] {Markup.Escape(e)}");
    }
}
