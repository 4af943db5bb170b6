using System.CommandLine;
using System.Globalization;
using System.Net;
using Tessera.Acme.Server;
using Tessera.Cli.Cli;
using Tessera.Cli.Settings;
using Tessera.Pki;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera ca serve`, `ca eab add` and `ca ari advance`: the CA as an ACME server (Tessera.Acme.Server) and the two
/// operator commands that act on its state while it runs.
/// </summary>
internal static class CaServeCommand
{
    private static Option<string?> Dir() => new("--dir", "--ca") { Description = "CA directory (default ~/.tessera/ca, or $TESSERA_HOME/ca)" };

    public static Command Serve()
    {
        var dir = Dir();
        var listen = new Option<string>("--listen") { Description = "ADDR:PORT of the ACME server's HTTPS endpoint (port 0: a free one); the directory is https://ADDR:PORT/directory", Required = true };
        var crlListen = new Option<string?>("--crl-listen") { Description = "ADDR:PORT of a plain-HTTP endpoint serving only the CRL, which certificates then name (http://ADDR:PORT/crl); without it the CRL is at https://LISTEN/crl" };
        var resolver = new Option<string?>("--dns-resolver") { Description = "ADDR:PORT of the DNS server validations resolve names and dns-01 TXT records through (without it: the system resolver, and no dns-01)" };
        var httpPort = new Option<int>("--http-port") { Description = "Port http-01 validation connects to", DefaultValueFactory = _ => 80 };
        var tlsPort = new Option<int>("--tls-port") { Description = "Port tls-alpn-01 validation connects to", DefaultValueFactory = _ => 443 };
        var hosts = new Option<string[]>("--resolve") { Description = "NAME=ADDRESS: resolve NAME to ADDRESS for validation without DNS (repeatable)", AllowMultipleArgumentsPerToken = true };
        var classic = new Option<double>("--classic-days") { Description = "Lifetime of the classic profile's certificates, in days", DefaultValueFactory = _ => 90 };
        var shortLived = new Option<double>("--shortlived-hours") { Description = "Lifetime of the shortlived profile's certificates, in hours", DefaultValueFactory = _ => 144 };
        var eab = new Option<bool>("--eab-required") { Description = "New accounts need an External Account Binding (always so once `ca eab add` made a key)" };
        var orders = new Option<int>("--orders-per-account") { Description = "New orders an account may place per rate window", DefaultValueFactory = _ => 300 };
        var perName = new Option<int>("--certificates-per-name") { Description = "Certificates per identifier per rate window (renewals through ARI's replaces are exempt)", DefaultValueFactory = _ => 50 };
        var window = new Option<double>("--rate-window-hours") { Description = "The window both rate limits count in, in hours", DefaultValueFactory = _ => 3 };
        var c = new Command("serve", "Run the CA as an ACME server (RFC 8555, with ACME Renewal Information and the classic and shortlived profiles)")
        {
            listen, dir, crlListen, resolver, httpPort, tlsPort, hosts, classic, shortLived, eab, orders, perName, window,
        };
        c.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var ca = LocalCa.Open(parse.GetValue(dir));
                var at = Endpoint.Parse(parse.GetValue(listen)!);
                var options = new AcmeServerOptions
                {
                    Ca = ca,
                    Profiles = [AcmeProfile.Classic(Positive(parse.GetValue(classic), "--classic-days", TimeSpan.FromDays)),
                                AcmeProfile.ShortLived(Positive(parse.GetValue(shortLived), "--shortlived-hours", TimeSpan.FromHours))],
                    DnsResolver = parse.GetValue(resolver) is { } r ? Resolver(r) : null,
                    CrlListen = parse.GetValue(crlListen) is { } cl ? Endpoint.Parse(cl) is var e ? new IPEndPoint(e.ListenAddress("--crl-listen"), e.Port) : null : null,
                    Hosts = Hosts(parse.GetValue(hosts) ?? []),
                    HttpPort = Port(parse.GetValue(httpPort), "--http-port"),
                    TlsPort = Port(parse.GetValue(tlsPort), "--tls-port"),
                    RequireExternalAccountBinding = parse.GetValue(eab),
                    OrdersPerAccount = Math.Max(1, parse.GetValue(orders)),
                    CertificatesPerIdentifier = Math.Max(1, parse.GetValue(perName)),
                    RateWindow = Positive(parse.GetValue(window), "--rate-window-hours", TimeSpan.FromHours),
                    Log = line => Console.Out.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}"),
                };
                await using var host = await AcmeServerHost.StartAsync(new IPEndPoint(at.ListenAddress("--listen"), at.Port), options, cancellationToken);
                Console.Out.WriteLine($"ACME directory at {host.Server.DirectoryUrl} (CA {ca.Directory}, root {ca.RootFile}; CRL at {host.Server.CrlUrl})");
                Console.Out.WriteLine($"profiles: {string.Join(", ", options.Profiles.Select(p => $"{p.Name} ({Lifetime(p.Lifetime)})"))}; validation: http-01 on port {options.HttpPort}, tls-alpn-01 on port {options.TlsPort}{(options.DnsResolver is { } d ? $", dns-01 and names through {d}" : "")}");
                Console.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
                Console.Out.WriteLine("stopped");
                return ExitCodes.Success;
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"tessera ca serve: {e.Message}");
                return e.ExitCode;
            }
            catch (PkiException e)
            {
                Console.Error.WriteLine($"tessera ca serve: {e.Message}");
                return ExitCodes.For(e.Failure);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"tessera ca serve: {e.Message}");
                return ExitCodes.FileError;
            }
        });
        return c;
    }

    public static Command Eab()
    {
        var command = new Command("eab", "External Account Binding keys for `ca serve` (RFC 8555 §7.3.4)");
        var dir = Dir();
        var kid = new Argument<string>("kid") { Description = "The key identifier to give the account's owner" };
        var add = new Command("add", "Make an EAB key: prints the key identifier and the MAC key (base64url); from then on new accounts need one") { kid, dir };
        add.SetAction(parse => Run(() =>
        {
            var ca = LocalCa.Open(parse.GetValue(dir));
            var key = AcmeServerState.AddExternalAccountKey(ca, parse.GetValue(kid)!);
            Console.WriteLine($"kid  {parse.GetValue(kid)}");
            Console.WriteLine($"hmac {key}");
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(add);
        return command;
    }

    public static Command Ari()
    {
        var command = new Command("ari", "ACME Renewal Information (RFC 9773) of what `ca serve` issued");
        var dir = Dir();
        var serial = new Argument<string>("serial") { Description = "Serial number (hex) of a certificate the ACME server issued" };
        var advance = new Command("advance", "Move the certificate's renewal window to now, as a CA does before revoking: ARI clients renew at their next check") { serial, dir };
        advance.SetAction(parse => Run(() =>
        {
            var ca = LocalCa.Open(parse.GetValue(dir));
            var (start, end) = AcmeServerState.AdvanceRenewal(ca, parse.GetValue(serial)!, TimeProvider.System);
            Console.WriteLine($"renewal window of {parse.GetValue(serial)} is now {start:u} to {end:u}");
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(advance);
        return command;
    }

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (PkiException e)
        {
            Console.Error.WriteLine($"tessera ca: {e.Message}");
            return ExitCodes.For(e.Failure);
        }
    }

    private static TimeSpan Positive(double value, string option, Func<double, TimeSpan> unit) =>
        value > 0 ? unit(value) : throw new CliException(ExitCodes.Usage, $"{option} must be positive");

    private static int Port(int port, string option) =>
        port is > 0 and < 65536 ? port : throw new CliException(ExitCodes.Usage, $"{option} must be 1..65535");

    private static IPEndPoint Resolver(string text)
    {
        var at = Endpoint.Parse(text, defaultPort: 53);
        return IPAddress.TryParse(at.Host, out var ip) ? new IPEndPoint(ip, at.Port) : throw new CliException(ExitCodes.Usage, $"--dns-resolver needs an IP address, not '{at.Host}'");
    }

    private static Dictionary<string, IPAddress> Hosts(string[] entries)
    {
        var map = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !IPAddress.TryParse(entry[(eq + 1)..], out var ip)) throw new CliException(ExitCodes.Usage, $"--resolve takes NAME=ADDRESS, not '{entry}'");
            map[entry[..eq].TrimEnd('.')] = ip;
        }
        return map;
    }

    private static string Lifetime(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays.ToString(CultureInfo.InvariantCulture)} days" : $"{t.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} hours";
}
