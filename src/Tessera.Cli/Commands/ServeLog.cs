using System.Globalization;

namespace Tessera.Cli.Commands;

/// <summary>
/// The text log of `tessera serve` and `tessera proxy`: one line per event, "TIME LEVEL TEXT". Info is a completed
/// connection (or a reload), warn a failed one, debug what is normal but sometimes worth seeing (shown with --verbose).
/// Lines are written whole under a lock, so concurrent connections never interleave within a line.
/// </summary>
internal sealed class ServeLog(TextWriter writer, bool verbose)
{
    public void Info(string text) => Write("info", text);

    public void Warn(string text) => Write("warn", text);

    public void Debug(string text)
    {
        if (verbose) Write("debug", text);
    }

    /// <summary>A line as it is, without time or level (a command's own announcements), under the same lock.</summary>
    public void Line(string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private void Write(string level, string text) =>
        Line($"{DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {level} {text}");
}
