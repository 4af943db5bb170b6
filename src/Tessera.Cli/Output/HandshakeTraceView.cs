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
        var lines = new PlainLines(console);
        foreach (var e in events)
        {
            var sentByClient = (e.Direction == TraceDirection.Sent) == localIsClient;
            var time = e.Elapsed.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture).PadLeft(7);
            if (e.Kind == HandshakeEventKind.KeysChanged)
            {
                lines.Line(($"{time} ms         {(localIsClient ? "client" : "server")} {e.Name}", Tone.Grey));
                continue;
            }
            var tone = e.Kind == HandshakeEventKind.Alert && !e.Name.Contains("close_notify", StringComparison.Ordinal) ? Tone.Red : Tone.Bold;
            lines.Line(($"{time} ms  ", Tone.Plain), sentByClient ? ("C → S", Tone.Blue) : ("S → C", Tone.Green), ("  ", Tone.Plain),
                (e.Name, tone), (" ", Tone.Plain), ($"({e.Length.ToString(CultureInfo.InvariantCulture)} bytes)", Tone.Grey));
            if (MessageNotes.For(e, sentByClient) is { } note)
                lines.Wrapped(Indent.Length, (note, Tone.GreyItalic));
            if (!showFields) continue;
            foreach (var field in e.Fields)
                lines.Wrapped(Indent.Length + 2, (field.Key + ":", Tone.Grey), (Shorten(field.Value), Tone.Plain));
        }
    }

    private static string Shorten(string value) =>
        value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength - 1), "…");
}
