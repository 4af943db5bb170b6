using System.CommandLine;
using Spectre.Console;
using Tessera.Cli.Demo;
using Tessera.Cli.Output;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera demo</c>: a throw-away CA, a server and a client on loopback, and an annotated trace of each kind of handshake.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var only = new Option<string[]>("--only")
        {
            Description = "Show only these scenarios: " + string.Join(", ", Keys()),
            AllowMultipleArgumentsPerToken = true,
        };
        only.AcceptOnlyFromAmong(Keys());
        var brief = new Option<bool>("--brief") { Description = "Hide the decoded fields of each message" };
        var html = new Option<string?>("--html") { Description = "Also write each scenario's handshake ladder as a page in DIR, with an index.html" };
        var command = new Command("demo", "Run a TLS server and client locally and explain every handshake message") { only, brief, html };
        command.SetAction((parse, cancellationToken) => RunAsync(AnsiConsole.Console, parse.GetValue(only) ?? [], !parse.GetValue(brief), cancellationToken, parse.GetValue(html)));
        return command;
    }

    private static string[] Keys()
    {
        var keys = new string[DemoScenario.All.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = DemoScenario.All[i].Key;
        return keys;
    }

    internal static async Task<int> RunAsync(IAnsiConsole console, string[] only, bool showFields, CancellationToken cancellationToken, string? htmlDirectory = null)
    {
        var pages = new List<(DemoScenario Scenario, string File)>();
        if (htmlDirectory is not null) Directory.CreateDirectory(htmlDirectory);
        using var pki = new ThrowawayPki();
        console.MarkupLine($"[grey]throw-away CA[/] {Markup.Escape(pki.Root.Subject)} [grey]issued[/] {Markup.Escape(pki.Server.Leaf.Subject)} [grey]and[/] {Markup.Escape(pki.Client.Leaf.Subject)}");
        // One silent handshake first, so the timings below show TLS and not the JIT compiling it.
        var first = DemoScenario.All[0];
        try
        {
            await LoopbackSession.RunAsync(first.Client(pki), first.Server(pki), "warm-up", cancellationToken);
        }
        catch (TlsException e)
        {
            console.MarkupLine($"[red]the local client and server could not connect:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
        console.MarkupLine("[grey]times below are after one warm-up handshake, so they exclude JIT compilation[/]");
        var failures = 0;
        foreach (var scenario in DemoScenario.All)
        {
            if (only.Length > 0 && Array.IndexOf(only, scenario.Key) < 0) continue;
            console.WriteLine();
            console.Write(new Rule($"[bold]{Markup.Escape(scenario.Title)}[/]").LeftJustified());
            console.MarkupLine($"[italic]{Markup.Escape(scenario.Summary)}[/]");
            console.WriteLine();
            try
            {
                // The demo prints the client's trace, so it asks for it (connections keep none by default).
                var clientOptions = scenario.Client(pki) with { RecordHandshakeEvents = true };
                var serverOptions = scenario.Server(pki);
                // The same options objects carry the session store and ticket keys from one connection to the next.
                LoopbackResult? firstVisit = null;
                if (scenario.ResumeFromPreviousConnection)
                    firstVisit = await LoopbackSession.RunAsync(clientOptions, serverOptions, "first visit", cancellationToken);
                var result = await LoopbackSession.RunAsync(clientOptions, serverOptions, "hello from the Tessera demo", cancellationToken);
                if (htmlDirectory is not null) pages.Add((scenario, WritePage(htmlDirectory, scenario, firstVisit, result)));
                HandshakeTraceView.Write(console, result.Client.HandshakeEvents, localIsClient: true, showFields);
                console.WriteLine();
                console.Write(NegotiatedView.Build(result.Client, result.Server));
                console.MarkupLine(
                    $"[grey]TCP connect[/] {NegotiatedView.Milliseconds(result.TcpConnect)}  " +
                    $"[grey]handshake complete[/] {NegotiatedView.Milliseconds(result.Handshake)}  " +
                    $"[grey]first application byte[/] {NegotiatedView.Milliseconds(result.FirstByte)}");
                console.MarkupLine($"[grey]echoed:[/] {Markup.Escape(result.Echo)}");
            }
            catch (TlsException e)
            {
                failures++;
                console.MarkupLine($"[red]failed:[/] {Markup.Escape(e.Message)}");
            }
        }
        if (htmlDirectory is not null)
        {
            WriteIndex(htmlDirectory, pages);
            console.MarkupLine($"[grey]pages:[/] {Markup.Escape(Path.Combine(htmlDirectory, "index.html"))}");
        }
        return failures == 0 ? 0 : 1;
    }

    private static string WritePage(string directory, DemoScenario scenario, LoopbackResult? firstVisit, LoopbackResult result)
    {
        static Html.LadderHtml.Connection Drawn(LoopbackResult r, string heading) =>
            new(new ConnectionReport(r.Client, r.TcpConnect, ServerHelloAt(r), r.Handshake, DateTimeOffset.UtcNow, 0, false), null, heading);
        var connections = new List<Html.LadderHtml.Connection>();
        if (firstVisit is not null) connections.Add(Drawn(firstVisit, "First visit (the session the next one resumes)"));
        connections.Add(Drawn(result, firstVisit is null ? scenario.Title : $"{scenario.Title}: the resumed connection"));
        var file = $"{scenario.Key}.html";
        Cli.Files.Write(Path.Combine(directory, file), Html.LadderHtml.Render(scenario.Title, scenario.Summary, connections), force: true);
        return file;
    }

    private static TimeSpan? ServerHelloAt(LoopbackResult r)
    {
        foreach (var e in r.Client.HandshakeEvents)
            if (e.MessageType == Wire.HandshakeType.ServerHello && e.Direction == Diagnostics.TraceDirection.Received && !MessageNotes.IsRetry(e)) return r.TcpConnect + e.Elapsed;
        return null;
    }

    private static void WriteIndex(string directory, List<(DemoScenario Scenario, string File)> pages)
    {
        var h = new Html.HtmlWriter();
        h.Raw("<main>").Open("header", ("class", "page")).Element("h1", "Tessera demo: TLS handshakes, drawn").Element("p", "A throw-away CA, a server and a client on loopback; one page per kind of handshake.", "meta").Close("header");
        h.Open("section", ("id", "scenarios")).Open("ul", ("class", "findings"));
        foreach (var (scenario, file) in pages)
            h.Open("li").Open("a", ("href", file)).Text(scenario.Title).Close("a").Element("span", scenario.Summary, "muted").Close("li");
        h.Close("ul").Close("section").Raw("</main>");
        Cli.Files.Write(Path.Combine(directory, "index.html"), Html.HtmlWriter.Page("Tessera demo: TLS handshakes, drawn", Html.ReportStyle.Css, h.ToString()), force: true);
    }
}
