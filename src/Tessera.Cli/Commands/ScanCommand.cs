using System.CommandLine;
using Spectre.Console;
using Tessera.Cli.Cli;
using Tessera.Cli.Scan;
using Tessera.Scan;
using Tessera.Cli.Settings;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera scan HOST:PORT`: what a server accepts (versions, suites per version and their order, groups) and how it
/// guards against downgrade, from raw probes built on Tessera's wire codec, so legacy servers are seen as they are.
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "HOST:PORT to scan (port 443 if omitted)" };
        var serverName = new Option<string?>("--servername") { Description = "Name for SNI (default: HOST; never sent for an IP address)" };
        var ca = new Option<string?>("--ca") { Description = "PEM file of trusted roots the chain is judged against (default: the system store)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (docs/scan-report.schema.json)" };
        var html = new Option<string?>("--html") { Description = "Also write the report as one self-contained HTML page to FILE (opens offline, no scripts)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Connections open at once", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each probe's answer", DefaultValueFactory = _ => 5 };
        var command = new Command("scan", "Probe a TLS server: versions, cipher suites, groups, downgrade protection")
        {
            target, serverName, ca, json, html, concurrency, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = parse.GetValue(concurrency);
            var t = parse.GetValue(timeout);
            if (c is < 1 or > 64) throw new CliException(ExitCodes.Usage, "--concurrency takes 1 to 64");
            if (t is <= 0 or > 120) throw new CliException(ExitCodes.Usage, "--timeout takes more than 0 and at most 120 seconds");
            var endpoint = Endpoint.Parse(parse.GetValue(target)!, 443);
            var options = new ScanOptions
            {
                Target = new HostPort(endpoint.Host, endpoint.Port),
                ServerName = parse.GetValue(serverName) ?? endpoint.Host,
                Concurrency = c,
                ProbeTimeout = TimeSpan.FromSeconds(t),
                Trust = parse.GetValue(ca) is { } caFile ? Files.Trust(caFile) : Tessera.Certificates.TrustStore.System,
            };
            return await RunAsync(options, parse.GetValue(json), AnsiConsole.Console, Console.Error, cancellationToken, parse.GetValue(html));
        });
        return command;
    }

    internal static async Task<int> RunAsync(ScanOptions options, bool json, IAnsiConsole console, TextWriter stderr, CancellationToken cancellationToken, string? html = null)
    {
        ScanReport report;
        try
        {
            // A terminal gets a live status line; pipes, files and --json get only the report.
            if (!json && console.Profile.Capabilities.Interactive)
            {
                report = await console.Status().StartAsync("scanning", async ctx =>
                {
                    var progress = new Progress<string>(step => ctx.Status($"scanning {options.Target}: {step}"));
                    return await new Scanner(options, progress).RunAsync(cancellationToken);
                });
            }
            else
            {
                report = await new Scanner(options).RunAsync(cancellationToken);
            }
        }
        catch (ScanException e)
        {
            await stderr.WriteLineAsync($"tessera scan: {e.Message}");
            return e.Failure == ScanFailure.NoTls ? ExitCodes.HandshakeFailed : ExitCodes.ConnectionFailed;
        }
        if (json) ScanJson.Write(console, report);
        else ScanView.Write(console, report);
        if (html is not null)
        {
            try
            {
                Files.Write(html, ScanHtml.Render(report), force: true);
            }
            catch (CliException e)
            {
                await stderr.WriteLineAsync($"tessera scan: {e.Message}");
                return e.ExitCode;
            }
        }
        return ExitCodes.Success;
    }
}
