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
        var target = new Argument<string>("target") { Description = "HOST:PORT to scan (port 443 if omitted), or an https:// URL" };
        var serverName = new Option<string?>("--servername") { Description = "Name for SNI (default: HOST; never sent for an IP address)" };
        var ca = new Option<string?>("--ca") { Description = "PEM file of trusted roots the chain is judged against (default: the system store)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (docs/scan-report.schema.json)" };
        var failBelow = new Option<string?>("--fail-below") { Description = "Exit with 8 when the grade is lower than this (A+, A, A-, B … F; T and M count lowest), for CI" };
        var html = new Option<string?>("--html") { Description = "Also write the report as one self-contained HTML page to FILE (opens offline, no scripts)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Connections open at once", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each probe's answer", DefaultValueFactory = _ => 5 };
        var command = new Command("scan", "Probe a TLS server: versions, cipher suites, groups, downgrade protection")
        {
            target, serverName, ca, json, html, failBelow, concurrency, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var c = parse.GetValue(concurrency);
            var t = parse.GetValue(timeout);
            if (c is < 1 or > 64) throw new CliException(ExitCodes.Usage, "--concurrency takes 1 to 64");
            if (t is <= 0 or > 120) throw new CliException(ExitCodes.Usage, "--timeout takes more than 0 and at most 120 seconds");
            var floor = parse.GetValue(failBelow) is { } text ? GradeRank(text) is >= 0 and var rank ? rank : throw new CliException(ExitCodes.Usage, $"--fail-below takes A+, A, A-, B, C, D, E or F, not '{text}'") : (int?)null;
            var endpoint = Endpoint.ParseTarget(parse.GetValue(target)!, 443);
            var options = new ScanOptions
            {
                Target = new HostPort(endpoint.Host, endpoint.Port),
                ServerName = parse.GetValue(serverName) ?? endpoint.Host,
                Concurrency = c,
                ProbeTimeout = TimeSpan.FromSeconds(t),
                Trust = parse.GetValue(ca) is { } caFile ? Files.Trust(caFile) : Tessera.Certificates.TrustStore.System,
            };
            return await RunAsync(options, parse.GetValue(json), AnsiConsole.Console, Console.Error, cancellationToken, parse.GetValue(html), floor);
        });
        return command;
    }

    /// <summary>A grade's rank, higher better: F 0 … A+ 7; T and M (certificate problems) -1; null for anything else.</summary>
    internal static int? GradeRank(string grade) => grade switch
    {
        "A+" => 7,
        "A" => 6,
        "A-" => 5,
        "B" => 4,
        "C" => 3,
        "D" => 2,
        "E" => 1,
        "F" => 0,
        "T" or "M" => -1,
        _ => null,
    };

    internal static async Task<int> RunAsync(ScanOptions options, bool json, IAnsiConsole console, TextWriter stderr, CancellationToken cancellationToken, string? html = null,
        int? failBelow = null)
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
            var exit = e.Failure == ScanFailure.NoTls ? ExitCodes.HandshakeFailed : ExitCodes.ConnectionFailed;
            if (json) ScanJson.WriteFailure(console, options.Target.ToString(), e.Failure, exit, e.Message);
            return exit;
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
        if (failBelow is { } floor)
        {
            var grade = Grader.Grade(report).Grade;
            if (GradeRank(grade) < floor)
            {
                await stderr.WriteLineAsync($"tessera scan: grade {grade} is below --fail-below");
                return ExitCodes.GradeBelow;
            }
        }
        return ExitCodes.Success;
    }
}
