using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using Spectre.Console;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Cli.Output;
using Tessera.Cli.Settings;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera connect HOST:PORT`: the handshake inspector. Shows every message with its decoded fields and timing,
/// the certificate chain with a verdict per certificate, the negotiated parameters, and then relays stdin/stdout
/// like `openssl s_client` unless --quiet.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "HOST:PORT to connect to, or an https:// URL" };
        var serverName = new Option<string?>("--servername") { Description = "Name for SNI and certificate verification (default: HOST)" };
        var alpn = new Option<string[]>("--alpn") { Description = "ALPN protocols to offer, in order", AllowMultipleArgumentsPerToken = true };
        var tls12 = new Option<bool>("--tls1.2") { Description = "Only TLS 1.2" };
        var tls13 = new Option<bool>("--tls1.3") { Description = "Only TLS 1.3" };
        var groups = new Option<string?>("--groups") { Description = "Key exchange groups, e.g. x25519,p256" };
        var ciphers = new Option<string?>("--ciphers") { Description = "Cipher suites (IANA or OpenSSL names), comma-separated" };
        var sigalgs = new Option<string?>("--sigalgs") { Description = "Signature schemes, e.g. ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256" };
        var certCompression = new Option<string?>("--cert-compression")
        {
            Description = "Certificate compression algorithms to offer (RFC 8879), e.g. brotli,zlib, or none (default: brotli,zlib)",
        };
        var ca = new Option<string?>("--ca") { Description = "PEM file of trusted roots (default: the system store)" };
        var crl = new Option<string[]>("--crl") { Description = "CRL files (PEM or DER): a server certificate they list is refused (repeatable)", AllowMultipleArgumentsPerToken = true };
        var cert = new Option<string?>("--cert") { Description = "Client certificate chain (PEM) for mutual TLS" };
        var key = new Option<string?>("--key") { Description = "Client private key (PEM)" };
        var keylog = new Option<string?>("--keylog") { Description = "Append secrets in NSS key log format (Wireshark); SSLKEYLOGFILE is honoured too" };
        var resume = new Option<int>("--resume") { Description = "Reconnect N more times with the session tickets and show the difference" };
        var earlyData = new Option<string?>("--early-data") { Description = "Send this file as 0-RTT data on resumed connections" };
        var json = new Option<bool>("--json") { Description = "Print a JSON report instead of the trace" };
        var html = new Option<string?>("--html") { Description = "Also write the handshake ladder of every connection as one self-contained HTML page to FILE" };
        var quiet = new Option<bool>("--quiet") { Description = "Do not relay stdin/stdout after the handshake" };
        var insecure = new Option<bool>("--insecure") { Description = "Continue even if the certificate is refused (prints a warning)" };
        var profile = new Option<string>("--profile")
        {
            Description = "Verifier profile: webpki (RFC 5280 + CA/B Forum BR, the default) or rfc5280 (a private PKI: Ed25519 keys, no EKU required)",
            DefaultValueFactory = _ => "webpki",
        };
        profile.AcceptOnlyFromAmong("webpki", "rfc5280");
        var verbose = new Option<bool>("--verbose") { Description = "More detail on errors" };
        var command = new Command("connect", "Connect to a TLS server and show the handshake, message by message")
        {
            target, serverName, alpn, tls12, tls13, groups, ciphers, sigalgs, certCompression, ca, crl, cert, key, keylog, resume, earlyData, json, html, quiet, insecure, profile, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ConnectSettings
            {
                Target = Endpoint.ParseTarget(parse.GetValue(target)!),
                ServerName = parse.GetValue(serverName),
                Alpn = parse.GetValue(alpn) ?? [],
                Tls12Only = parse.GetValue(tls12),
                Tls13Only = parse.GetValue(tls13),
                Groups = parse.GetValue(groups),
                Ciphers = parse.GetValue(ciphers),
                Sigalgs = parse.GetValue(sigalgs),
                CertCompression = parse.GetValue(certCompression),
                CaFile = parse.GetValue(ca),
                CrlFiles = parse.GetValue(crl) ?? [],
                CertFile = parse.GetValue(cert),
                KeyFile = parse.GetValue(key),
                KeyLogFile = parse.GetValue(keylog),
                Resume = parse.GetValue(resume),
                EarlyDataFile = parse.GetValue(earlyData),
                Json = parse.GetValue(json),
                HtmlFile = parse.GetValue(html),
                Quiet = parse.GetValue(quiet),
                Insecure = parse.GetValue(insecure),
                Profile = parse.GetValue(profile) == "rfc5280" ? VerificationProfile.Rfc5280 : VerificationProfile.WebPki,
                Verbose = parse.GetValue(verbose),
            };
            return await RunAsync(settings, AnsiConsole.Console, Console.Error, Console.OpenStandardInput(), Console.OpenStandardOutput(), cancellationToken);
        });
        return command;
    }

    internal static TlsClientOptions BuildOptions(ConnectSettings s, RecordingVerifier verifier)
    {
        if (s.Tls12Only && s.Tls13Only) throw new CliException(ExitCodes.Usage, "--tls1.2 and --tls1.3 exclude each other");
        if ((s.CertFile is null) != (s.KeyFile is null)) throw new CliException(ExitCodes.Usage, "--cert and --key go together");
        if (s.Resume < 0) throw new CliException(ExitCodes.Usage, "--resume takes a count of extra connections");
        var options = new TlsClientOptions
        {
            RecordHandshakeEvents = true,   // connect prints the trace
            CertificateVerifier = verifier,
            ApplicationProtocols = s.Alpn,
            MinVersion = s.Tls13Only ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12,
            MaxVersion = s.Tls12Only ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
            KeyLog = s.KeyLogFile is not null ? new NssKeyLogFile(s.KeyLogFile) : NssKeyLogFile.FromEnvironment(),
            HandshakeTimeout = s.Timeout,
        };
        if (s.Groups is not null)
        {
            var groups = TlsNameFlags.Groups(s.Groups, s.Tls12Only);
            options = options with { Groups = groups, KeyShareGroups = null };   // the first, and X25519 beside a hybrid
        }
        if (s.Ciphers is not null) options = options with { CipherSuites = TlsNameFlags.Suites(s.Ciphers) };
        if (s.Sigalgs is not null) options = options with { SignatureSchemes = TlsNameFlags.Schemes(s.Sigalgs) };
        if (s.CertCompression is not null) options = options with { CertificateCompression = TlsNameFlags.CertificateCompression(s.CertCompression) };
        if (s.CertFile is not null) options = options with { ClientCertificate = Files.Credential(s.CertFile, s.KeyFile!) };
        return options;
    }

    internal static async Task<int> RunAsync(ConnectSettings s, IAnsiConsole console, TextWriter stderr, Stream stdin, Stream stdout, CancellationToken cancellationToken)
    {
        var completed = new List<ConnectionReport>();
        try
        {
            var trust = s.CaFile is not null ? Files.Trust(s.CaFile) : TrustStore.System;
            var crls = s.CrlFiles.Select(Files.Crl).ToList();
            var verifier = new RecordingVerifier(new TesseraCertificateVerifier(trust, crls: crls, profile: s.Profile), s.Insecure);
            var options = BuildOptions(s, verifier);
            if (s.Insecure)
                await stderr.WriteLineAsync("WARNING: --insecure: the server's certificate is not enforced; anyone in the path can read and change this connection.");
            var earlyData = s.EarlyDataFile is not null ? Files.Read(s.EarlyDataFile) : [];
            var host = s.ServerName ?? s.Target.Host;
            var report = completed;
            TlsStream? last = null;
            for (var attempt = 0; attempt <= s.Resume; attempt++)
            {
                if (last is not null)
                {
                    await last.ShutdownAndDrainAsync(TimeSpan.FromSeconds(2), cancellationToken);
                    await last.DisposeAsync();
                }
                var (tls, r) = await ConnectOnceAsync(s, options, host, attempt > 0 ? earlyData : [], verifier, cancellationToken);
                report.Add(r);
                last = tls;
                if (!s.Json) ConnectionView.Write(console, r, attempt, verifier.Failure?.Message);
            }
            if (verifier.Failure is { } failure)
                await stderr.WriteLineAsync($"WARNING: certificate verification failed and was ignored (--insecure): {failure.Message}");
            if (s.Json) JsonReport.Write(console, s.Target, report, verifier.Failure?.Message);
            if (s.HtmlFile is { } page)
            {
                var drawn = new List<Html.LadderHtml.Connection>(report.Count);
                for (var i = 0; i < report.Count; i++)
                    drawn.Add(new Html.LadderHtml.Connection(report[i], verifier.Failure?.Message,
                        i == 0 ? "Connection 1" : $"Connection {i + 1} ({(report[i].Connection.WasResumed ? "resumed" : "not resumed")}{(report[i].Connection.EarlyDataAccepted is { } early ? early ? ", 0-RTT accepted" : ", 0-RTT rejected" : "")})"));
                Files.Write(page, Html.LadderHtml.Render($"TLS handshake with {s.Target}", $"SNI {host} · {report[0].At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC", drawn), force: true);
            }
            await using (last)
            {
                if (!s.Quiet && !s.Json) await RelayAsync(last!, stdin, stdout, stderr, report[^1], cancellationToken);
                else await last!.ShutdownAndDrainAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            return ExitCodes.Success;
        }
        catch (CliException e)
        {
            // --json promises one document on stdout, failure or not: scripts parse it rather than guess from silence.
            if (s.Json) JsonReport.WriteFailure(console, s.Target, completed, e.ExitCode, e.Message);
            await stderr.WriteLineAsync($"tessera connect: {e.Message}");
            if (s.Verbose && e.InnerException is { } inner) await stderr.WriteLineAsync(inner.ToString());
            return e.ExitCode;
        }
    }

    /// <summary>Set by the process's first handshake: its timings include first-use costs, later ones do not.</summary>
    private static int _handshakes;

    /// <summary>Tests that compare output make the next handshake count as the process's first again.</summary>
    internal static void ForgetFirstHandshakeForTests() => Interlocked.Exchange(ref _handshakes, 0);

    private static async Task<(TlsStream, ConnectionReport)> ConnectOnceAsync(ConnectSettings s, TlsClientOptions options, string host, byte[] earlyData,
        RecordingVerifier verifier, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(s.Timeout);
            await tcp.ConnectAsync(s.Target.Host, s.Target.Port, connectTimeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            tcp.Dispose();
            var why = e is SocketException se ? SocketErrorText.Of(se) : "timed out";
            throw new CliException(ExitCodes.ConnectionFailed, $"could not connect to {s.Target}: {why}", e);
        }
        var tcpTime = clock.Elapsed;
        var tls = new TlsStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(options, host, earlyData, cancellationToken);
        }
        catch (TlsException e)
        {
            await tls.DisposeAsync();
            if (verifier.Failure is not null && !s.Insecure)
                throw new CliException(ExitCodes.VerificationFailed, $"certificate verification failed: {e.Message}", e);
            throw new CliException(ExitCodes.HandshakeFailed, $"handshake with {s.Target} failed: {e.Message}", e);
        }
        var handshakeTime = clock.Elapsed;
        var conn = tls.Connection;
        TimeSpan? serverHello = null;
        foreach (var e in conn.HandshakeEvents)
            if (e.MessageType == HandshakeType.ServerHello && e.Direction == TraceDirection.Received) { serverHello = tcpTime + e.Elapsed; break; }
        var first = Interlocked.Exchange(ref _handshakes, 1) == 0;
        return (tls, new ConnectionReport(conn, tcpTime, serverHello, handshakeTime, DateTimeOffset.UtcNow, started, first));
    }

    /// <summary>
    /// Ends a connection politely: close_notify, then read until the server closes (briefly), which also takes in
    /// the session tickets TLS 1.3 servers send after the handshake — needed for --resume.
    /// </summary>
    /// <summary>Like s_client: stdin goes to the server, the server's data to stdout, until either side ends.</summary>
    private static async Task RelayAsync(TlsStream tls, Stream stdin, Stream stdout, TextWriter stderr, ConnectionReport report, CancellationToken cancellationToken)
    {
        var up = Task.Run(async () =>
        {
            var buffer = new byte[16384];
            int n;
            while ((n = await stdin.ReadAsync(buffer, cancellationToken)) > 0) await tls.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            await tls.ShutdownAsync(cancellationToken);
        }, cancellationToken);
        var down = Task.Run(async () =>
        {
            var buffer = new byte[16384];
            int n;
            var first = true;
            while ((n = await tls.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (first)
                {
                    // On stderr, like s_client's diagnostics, so stdout carries only the server's bytes.
                    await stderr.WriteLineAsync($"first application byte after {NegotiatedView.Milliseconds(Stopwatch.GetElapsedTime(report.Started))}");
                    first = false;
                }
                await stdout.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                await stdout.FlushAsync(cancellationToken);
            }
        }, cancellationToken);
        try
        {
            await down;   // the server closing ends the session
        }
        catch (TlsException e)
        {
            throw new CliException(ExitCodes.HandshakeFailed, $"the connection failed: {e.Message}", e);
        }
        if (!up.IsCompleted) return;   // stdin still open: nothing more to send
        await up;
    }
}
