using System.Globalization;
using Spectre.Console;
using Tessera.Diagnostics;

namespace Tessera.Cli.Output;

/// <summary>Prints a handshake trace from one side's point of view: each message with its direction, size, time, decoded fields and what it is for.</summary>
internal static class HandshakeTraceView
{
    private const int MaxValueLength = 96;
    private const string Indent = "             ";

    public static void Write(IAnsiConsole console, IReadOnlyList<HandshakeEvent> events, bool localIsClient, bool showFields)
    {
        foreach (var e in events)
        {
            var sentByClient = (e.Direction == TraceDirection.Sent) == localIsClient;
            var arrow = sentByClient ? "[blue]C → S[/]" : "[green]S → C[/]";
            var time = e.Elapsed.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture).PadLeft(7);
            if (e.Kind == HandshakeEventKind.KeysChanged)
            {
                console.MarkupLine($"[grey]{time} ms         {(localIsClient ? "client" : "server")} {Markup.Escape(e.Name)}[/]");
                continue;
            }
            var color = e.Kind == HandshakeEventKind.Alert && !e.Name.Contains("close_notify", StringComparison.Ordinal) ? "red" : "bold";
            console.MarkupLine($"{time} ms  {arrow}  [{color}]{Markup.Escape(e.Name)}[/] [grey]({e.Length} bytes)[/]");
            // Padder keeps wrapped lines under their indentation instead of at column 0.
            if (MessageNotes.For(e, sentByClient) is { } note)
                console.Write(new Padder(new Markup($"[italic grey]{Markup.Escape(note)}[/]"), new Padding(Indent.Length, 0, 0, 0)));
            if (!showFields) continue;
            foreach (var field in e.Fields)
                console.Write(new Padder(new Markup($"[grey]{Markup.Escape(field.Key)}:[/] {Markup.Escape(Shorten(field.Value))}"), new Padding(Indent.Length + 2, 0, 0, 0)));
        }
    }

    private static string Shorten(string value) =>
        value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength - 1), "…");
}
