using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Pki;
using Tessera.Cli.Settings;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera serve`: a TLS server for tests and demos. Echoes (default) or answers HTTP/1.1 with a page showing what
/// was negotiated; logs one line per connection.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to listen on (port 0 picks a free port and prints it)", DefaultValueFactory = _ => "127.0.0.1:8443" };
        var cert = new Option<string?>("--cert") { Description = "Certificate chain (PEM); default: one for localhost from the dev CA" };
        var key = new Option<string?>("--key") { Description = "Private key (PEM)" };
        var echo = new Option<bool>("--echo") { Description = "Echo what the client sends (the default)" };
        var http = new Option<bool>("--http") { Description = "Answer HTTP/1.1 with the negotiated parameters" };
        var alpn = new Option<string[]>("--alpn") { Description = "ALPN protocols to accept, in preference order", AllowMultipleArgumentsPerToken = true };
        var clientAuth = new Option<string>("--client-auth") { Description = "none, optional or required", DefaultValueFactory = _ => "none" };
        var clientCa = new Option<string?>("--client-ca") { Description = "Roots (PEM) that client certificates must chain to" };
        var tls12 = new Option<bool>("--tls1.2") { Description = "Only TLS 1.2" };
        var tls13 = new Option<bool>("--tls1.3") { Description = "Only TLS 1.3" };
        var noTickets = new Option<bool>("--no-tickets") { Description = "Do not issue session tickets" };
        var earlyData = new Option<uint>("--early-data") { Description = "Accept up to N bytes of 0-RTT data (0: refuse)" };
        var keylog = new Option<string?>("--keylog") { Description = "Append secrets in NSS key log format; SSLKEYLOGFILE is honoured too" };
        var groups = new Option<string?>("--groups")
        {
            Description = "Key exchange groups in preference order, e.g. X25519MLKEM768,x25519,p256 (default: X25519MLKEM768, x25519, secp256r1, secp384r1, x448, secp521r1)",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Log debug lines too (clients that close without close_notify)" };
        var command = new Command("serve", "Run a TLS server for testing: echo or a small HTTP page")
        {
            listen, cert, key, echo, http, alpn, clientAuth, clientCa, tls12, tls13, noTickets, earlyData, keylog, groups, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ServeSettings
            {
                Listen = Endpoint.Parse(parse.GetValue(listen)!),
                CertFile = parse.GetValue(cert),
                KeyFile = parse.GetValue(key),
                Mode = parse.GetValue(http) ? ServeMode.Http : ServeMode.Echo,
                Alpn = parse.GetValue(alpn) ?? [],
                ClientAuth = parse.GetValue(clientAuth)!,
                ClientCa = parse.GetValue(clientCa),
                Tls12Only = parse.GetValue(tls12),
                Tls13Only = parse.GetValue(tls13),
                Tickets = !parse.GetValue(noTickets),
                EarlyData = parse.GetValue(earlyData),
                KeyLogFile = parse.GetValue(keylog),
                Groups = parse.GetValue(groups),
                Verbose = parse.GetValue(verbose),
            };
            return await RunAsync(settings, Console.Out, Console.Error, null, cancellationToken);
        });
        return command;
    }

    internal static TlsServerOptions BuildOptions(ServeSettings s)
    {
        if (s.Tls12Only && s.Tls13Only) throw new CliException(ExitCodes.Usage, "--tls1.2 and --tls1.3 exclude each other");
        if ((s.CertFile is null) != (s.KeyFile is null)) throw new CliException(ExitCodes.Usage, "--cert and --key go together");
        var mode = s.ClientAuth.ToLowerInvariant() switch
        {
            "none" => ClientCertificateMode.None,
            "optional" => ClientCertificateMode.Optional,
            "required" => ClientCertificateMode.Required,
            _ => throw new CliException(ExitCodes.Usage, $"--client-auth must be none, optional or required, not '{s.ClientAuth}'"),
        };
        if (mode != ClientCertificateMode.None && s.ClientCa is null) throw new CliException(ExitCodes.Usage, "--client-auth needs --client-ca");
        var credential = s.CertFile is not null ? Files.Credential(s.CertFile, s.KeyFile!) : DevCredential();
        var options = new TlsServerOptions
        {
            Certificates = [credential],
            ApplicationProtocols = s.Alpn,
            ClientCertificateMode = mode,
            ClientTrustStore = s.ClientCa is not null ? Files.Trust(s.ClientCa) : null,
            MinVersion = s.Tls13Only ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12,
            MaxVersion = s.Tls12Only ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
            TicketCount = s.Tickets ? 2 : 0,
            SessionIdCache = s.Tickets ? new Resumption.ServerSessionCache() : null,
            MaxEarlyData = s.EarlyData,
            KeyLog = s.KeyLogFile is not null ? new NssKeyLogFile(s.KeyLogFile) : NssKeyLogFile.FromEnvironment(),
        };
        if (s.Groups is null) return options;
        return options with { Groups = TlsNameFlags.Groups(s.Groups, s.Tls12Only) };
    }

    /// <summary>A localhost certificate from the dev CA, made once and kept next to it.</summary>
    private static TlsCredential DevCredential()
    {
        try
        {
            return DevCredentialFromCa();
        }
        catch (PkiException e)
        {
            throw new CliException(ExitCodes.For(e.Failure), $"the development CA: {e.Message}", e);
        }
    }

    private static TlsCredential DevCredentialFromCa()
    {
        var ca = LocalCa.OpenOrCreateDev();
        var prefix = Path.Combine(LocalCa.Home, "serve", "localhost");
        if (!File.Exists(prefix + ".pem") || X509CertificateExpiresSoon(prefix + ".pem"))
        {
            var (chain, key, _) = ca.Issue(["localhost", "127.0.0.1", "::1"], client: false, days: 90, KeyType.EcdsaP256);
            Files.Write(prefix + ".pem", chain, force: true);
            Files.Write(prefix + ".key", key, force: true, secret: true);
        }
        return Files.Credential(prefix + ".pem", prefix + ".key");
    }

    private static bool X509CertificateExpiresSoon(string path)
    {
        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return cert.NotAfter.ToUniversalTime() < DateTime.UtcNow.AddDays(7);
    }

    /// <param name="bound">Told the actual port once listening (tests use port 0).</param>
    internal static async Task<int> RunAsync(ServeSettings s, TextWriter stdout, TextWriter stderr, Action<int>? bound, CancellationToken cancellationToken)
    {
        TcpListener listener;
        TlsServerOptions options;
        try
        {
            options = BuildOptions(s);
            var address = s.Listen.ListenAddress("--listen");
            listener = new TcpListener(address, s.Listen.Port);
            listener.Start();
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"tessera serve: {e.Message}");
            return e.ExitCode;
        }
        catch (SocketException e)
        {
            await stderr.WriteLineAsync($"tessera serve: cannot listen on {s.Listen}: {SocketErrorText.Of(e)}");
            return ExitCodes.ConnectionFailed;
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await stdout.WriteLineAsync($"listening on {new Endpoint(s.Listen.Host, port)} ({(s.Mode == ServeMode.Http ? "http" : "echo")}, certificate {options.Certificates[0].Leaf.Subject})");
        await stdout.FlushAsync(cancellationToken);
        bound?.Invoke(port);
        var connections = new InFlightTasks();
        var log = new ServeLog(stdout, s.Verbose);
        // Served anyway (a test server may mean to serve an expired certificate), but never in silence.
        if (Tessera.Proxy.Hosting.CertificateValidity.Check(options.Certificates[0].Leaf, DateTimeOffset.UtcNow, MonitorCommand.ExpiryWarning) is { } problem)
            log.Warn(problem.Sentence);
        try
        {
            for (var served = 0; s.MaxConnections is null || served < s.MaxConnections; served++)
            {
                var tcp = await listener.AcceptTcpClientAsync(cancellationToken);
                tcp.NoDelay = true;
                connections.Add(HandleAsync(tcp, options, s.Mode, log, cancellationToken));
            }
            await connections.WhenAll();
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or the test's cancellation: stop accepting; connections in flight end with the token.
        }
        finally
        {
            listener.Stop();
        }
        return ExitCodes.Success;
    }

    private static async Task HandleAsync(TcpClient tcp, TlsServerOptions options, ServeMode mode, ServeLog log, CancellationToken cancellationToken)
    {
        var peer = tcp.Client.RemoteEndPoint?.ToString() ?? "?";
        var clock = Stopwatch.StartNew();
        using (tcp)
        await using (var tls = new TlsStream(tcp.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(options, cancellationToken);
                log.Info(LogLine(peer, tls.Connection, clock.Elapsed));
                if (mode == ServeMode.Http) await ServeHttp.ServeAsync(tls, cancellationToken);
                else await EchoAsync(tls, cancellationToken);
            }
            catch (Exception e) when (tls.Connection.IsHandshakeComplete && e is IOException or TlsException { IsTransportFailure: true })
            {
                // After a complete handshake many clients just close the socket (or reset it with a ticket unread): not
                // a failed connection, but worth knowing when asked.
                log.Debug($"{peer} closed without close_notify{(e is TlsException { Alert: Wire.AlertDescription.CloseNotify } ? "" : $" ({e.Message})")}");
            }
            catch (TlsException e) when (e.IsTransportFailure)
            {
                log.Warn($"{peer} transport error: {e.Message}");
            }
            catch (TlsException e)
            {
                log.Warn($"{peer} failed: {e.Message}");
            }
            catch (IOException e)
            {
                log.Warn($"{peer} transport error: {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The server is stopping.
            }
        }
    }

    internal static string LogLine(string peer, TlsConnection c, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{peer} {Version(c)} {(c.CipherSuite is { } s ? TlsNames.Of(s) : "-")} {(c.KeyExchangeGroup is { } g ? TlsNames.Of(g) : "-")} " +
        $"hrr={(c.HelloRetryRequested ? "yes" : "no")} resumed={(c.WasResumed ? "yes" : "no")} alpn={c.ApplicationProtocol ?? "-"} sni={c.ServerName ?? "-"} " +
        $"client={(c.PeerCertificates.Count > 0 ? c.PeerCertificates[0].Subject.Replace(' ', '_') : "-")} early={(c.EarlyDataAccepted switch { true => c.EarlyDataReceived.ToString(CultureInfo.InvariantCulture), false => "rejected", null => "-" })} " +
        $"cert-compression={(c.SentCertificateCompression is { } z ? $"{TlsNames.Of(z.Algorithm)}:{z.UncompressedLength}->{z.CompressedLength}" : "-")} " +
        $"handshake={elapsed.TotalMilliseconds:0.0}ms");

    internal static string Version(TlsConnection c) => c.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v).Replace(" ", "", StringComparison.Ordinal) : "-";

    /// <summary>
    /// Echoes until the client's close_notify. It waits for data with a zero-byte read and rents a buffer only to move
    /// what arrived, so an idle connection holds no echo buffer (TlsStream gives its own back while it waits).
    /// </summary>
    private static async Task EchoAsync(TlsStream tls, CancellationToken cancellationToken)
    {
        while (true)
        {
            _ = await tls.ReadAsync(Memory<byte>.Empty, cancellationToken);   // waits for data; takes none
            var buffer = ArrayPool<byte>.Shared.Rent(16384);
            var n = 0;
            try
            {
                n = await tls.ReadAsync(buffer.AsMemory(0, 16384), cancellationToken);
                if (n == 0) break;
                await tls.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
            finally
            {
                buffer.AsSpan(0, n).Clear();   // the client's plaintext
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        await tls.ShutdownAsync(cancellationToken);
    }
}
