using System.Text;
using Spectre.Console;

namespace Tessera.Cli.Output;

/// <summary>How a piece of a trace line looks on a terminal that shows colours.</summary>
internal enum Tone { Plain, Grey, GreyItalic, Bold, Red, Blue, Green }

/// <summary>
/// Writes the handshake trace's lines straight to the console's writer: styled pieces, and text wrapped under its
/// indentation. Spectre's renderer measures every character's cell width through table lookups; for a trace of a few
/// hundred lines that was ≈ 10 ms of the ≈ 25 ms of CPU a whole `tessera connect` used, so the inspector's own
/// rendering cost more than the handshake it reports. Trace text is measured by its length in chars: it is ASCII and
/// one-cell symbols (→, …), and what a peer sent is escaped by PeerText; a double-width character in a peer's name
/// makes its line one cell longer than planned, nothing worse.
/// </summary>
internal sealed class PlainLines
{
    private readonly TextWriter _out;
    private readonly bool _ansi;
    private readonly int _width;
    private readonly StringBuilder _line = new(256);

    public PlainLines(IAnsiConsole console)
    {
        _out = console.Profile.Out.Writer;
        _ansi = console.Profile.Capabilities.Ansi;
        _width = Math.Max(20, console.Profile.Width);
    }

    /// <summary>One line of styled pieces, as given (headers are short; they are not wrapped).</summary>
    public void Line(params ReadOnlySpan<(string Text, Tone Tone)> pieces)
    {
        _line.Clear();
        foreach (var (text, tone) in pieces) Append(text, tone);
        _out.WriteLine(_line.ToString());
    }

    /// <summary>A rule across the console with a bold title at its left, like Spectre's left-justified Rule.</summary>
    public void Rule(string title)
    {
        var rest = Math.Max(2, _width - title.Length - 4);
        Line(("── ", Tone.Plain), (title, Tone.Bold), (" " + new string('─', rest), Tone.Plain));
    }

    /// <summary>
    /// Words wrapped to the console width, every line starting at column <paramref name="indent"/>; a word longer than
    /// a whole line starts a line of its own and is cut where the line ends. <paramref name="lead"/>, when given, takes
    /// the place of the first line's indentation (a tree branch).
    /// </summary>
    public void Wrapped(int indent, params ReadOnlySpan<(string Text, Tone Tone)> pieces) => Wrapped(indent, null, pieces);

    public void Wrapped(int indent, string? lead, params ReadOnlySpan<(string Text, Tone Tone)> pieces)
    {
        var room = Math.Max(8, _width - indent);
        var used = 0;
        _line.Clear();
        if (lead is null) _line.Append(' ', indent);
        else _line.Append(lead).Append(' ', Math.Max(0, indent - lead.Length));
        foreach (var (text, tone) in pieces)
        {
            var gap = 1;   // spaces before the next word: runs of spaces inside a line are kept
            foreach (var range in text.AsSpan().Split(' '))
            {
                var word = text.AsSpan(range);
                if (word.IsEmpty) { gap++; continue; }
                if (used > 0 && used + gap + word.Length > room) NewLine(indent, ref used);
                else if (used > 0) { _line.Append(' ', gap); used += gap; }
                gap = 1;
                while (word.Length > room)
                {
                    if (used > 0) NewLine(indent, ref used);
                    Append(word[..room], tone);
                    word = word[room..];
                    NewLine(indent, ref used);
                }
                Append(word, tone);
                used += word.Length;
            }
        }
        _out.WriteLine(_line.ToString());
    }

    /// <summary>A two-column table with rounded borders (Spectre's look); a value too wide for the console wraps in its cell.</summary>
    public void Table(string keyHeader, string valueHeader, IReadOnlyList<(string Key, string Value)> rows)
    {
        var keyWidth = keyHeader.Length;
        var valueWidth = valueHeader.Length;
        foreach (var (k, v) in rows)
        {
            keyWidth = Math.Max(keyWidth, k.Length);
            valueWidth = Math.Max(valueWidth, v.Length);
        }
        valueWidth = Math.Max(8, Math.Min(valueWidth, _width - keyWidth - 7));
        void Border(char left, char middle, char right) =>
            _out.WriteLine($"{left}{new string('─', keyWidth + 2)}{middle}{new string('─', valueWidth + 2)}{right}");
        void Row(string key, string value)
        {
            var first = true;
            foreach (var part in Cells(value, valueWidth))
            {
                _out.WriteLine($"│ {(first ? key : "").PadRight(keyWidth)} │ {part.PadRight(valueWidth)} │");
                first = false;
            }
        }
        Border('╭', '┬', '╮');
        Row(keyHeader, valueHeader);
        Border('├', '┼', '┤');
        foreach (var (k, v) in rows) Row(k, v);
        Border('╰', '┴', '╯');
    }

    /// <summary>A cell's text cut into lines of at most <paramref name="width"/> chars, at spaces where it can be.</summary>
    private static List<string> Cells(string text, int width)
    {
        var lines = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > width)
        {
            var cut = rest[..(width + 1)].LastIndexOf(' ');
            if (cut <= 0) cut = width;
            lines.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }
        lines.Add(rest.ToString());
        return lines;
    }

    private void NewLine(int indent, ref int used)
    {
        _out.WriteLine(_line.ToString());
        _line.Clear();
        _line.Append(' ', indent);
        used = 0;
    }

    private void Append(ReadOnlySpan<char> text, Tone tone)
    {
        if (!_ansi || tone == Tone.Plain)
        {
            _line.Append(text);
            return;
        }
        _line.Append(tone switch
        {
            Tone.Grey => "\e[90m",
            Tone.GreyItalic => "\e[3;90m",
            Tone.Bold => "\e[1m",
            Tone.Red => "\e[31m",
            Tone.Blue => "\e[34m",
            _ => "\e[32m",
        });
        _line.Append(text);
        _line.Append("\e[0m");
    }
}
