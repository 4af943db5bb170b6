using System.Text;

namespace Tessera.Diagnostics;

/// <summary>
/// What a peer sent, made fit for a log line, an exception message or a trace: at most <see cref="MaxItems"/> items
/// of a list and at most <see cref="MaxLength"/> characters of any one name, with control characters escaped. A
/// hostile hello may offer thousands of groups or a 255-byte ALPN name of terminal escapes; neither reaches a log whole.
/// </summary>
public static class PeerText
{
    /// <summary>How many items of a peer's list are shown before "… N more".</summary>
    public const int MaxItems = 16;
    /// <summary>How many characters of one peer-chosen string are shown.</summary>
    public const int MaxLength = 64;

    /// <summary>Joins the first <see cref="MaxItems"/> names and says how many more there were.</summary>
    public static string List<T>(IEnumerable<T> items, Func<T, string> name, string separator = ", ")
    {
        var b = new StringBuilder();
        var count = 0;
        foreach (var item in items)
        {
            if (count < MaxItems)
            {
                if (count > 0) b.Append(separator);
                b.Append(Clip(name(item)));
            }
            count++;
        }
        if (count > MaxItems) b.Append(separator).Append("… ").Append(count - MaxItems).Append(" more");
        return b.ToString();
    }

    /// <summary>Joins the first <see cref="MaxItems"/> strings, each clipped, and says how many more there were.</summary>
    public static string List(IEnumerable<string> items, string separator = ", ") => List(items, s => s, separator);

    /// <summary>At most <see cref="MaxLength"/> characters, printable ASCII kept, everything else as \xNN.</summary>
    public static string Clip(string text) => Clip(text, MaxLength);

    /// <summary>At most <paramref name="maxLength"/> characters (for longer texts such as certificate subjects).</summary>
    public static string Clip(string text, int maxLength)
    {
        var clean = true;
        foreach (var ch in text) clean &= ch is >= ' ' and < '\x7f';
        if (clean && text.Length <= maxLength) return text;
        var b = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var ch in text)
        {
            if (b.Length >= maxLength)
            {
                b.Append('…');
                break;
            }
            if (ch is >= ' ' and < '\x7f') b.Append(ch);
            else b.Append(ch <= 0xff ? $"\\x{(int)ch:x2}" : $"\\u{(int)ch:x4}");
        }
        return b.ToString();
    }
}
