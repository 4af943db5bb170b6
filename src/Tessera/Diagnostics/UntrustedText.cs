using System.Text;

namespace Tessera.Diagnostics;

/// <summary>
/// Text a peer sent (names, ALPN, ACME problem details, certificate fields in a verifier's sentence), made safe to put in
/// a sentence, a log line or a terminal: control characters (ANSI escapes among them) and the line and direction
/// overrides shown as \uXXXX, and at most <c>max</c> characters kept.
/// </summary>
public static class UntrustedText
{
    /// <summary>The text with control characters escaped, cut at <paramref name="max"/> characters (with an ellipsis).</summary>
    public static string Clean(string? text, int max = 300)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e') sb.Append($"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
