using System.Text.RegularExpressions;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// Makes command output comparable across runs: timings, byte counts that vary with signatures, dates, hex values
/// and ports are replaced by placeholders; everything else — wording, order, layout at a fixed width — must match.
/// </summary>
internal static partial class OutputMask
{
    public static string Apply(string text)
    {
        text = Milliseconds().Replace(text, " #ms");
        text = Bytes().Replace(text, "# bytes");
        text = Dates().Replace(text, "YYYY-MM-DD");
        text = Hex().Replace(text, "HEX");
        text = Days().Replace(text, "# days");
        text = Ports().Replace(text, "127.0.0.1:PORT");
        return string.Join("\n", text.Split('\n').Select(l => l.TrimEnd()));
    }

    [GeneratedRegex(@" *\d+(\.\d+)? ?ms")]
    private static partial Regex Milliseconds();

    [GeneratedRegex(@"\d+ bytes")]
    private static partial Regex Bytes();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex Dates();

    [GeneratedRegex(@"\b[0-9a-fA-F]{12,}\b")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\d+ days")]
    private static partial Regex Days();

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex Ports();
}
