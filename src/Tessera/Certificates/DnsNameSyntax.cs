namespace Tessera.Certificates;

/// <summary>
/// The syntax of a dNSName in a certificate (RFC 5280 §4.2.1.6, the "preferred name syntax" of RFC 1034 §3.5 as
/// relaxed by RFC 1123 §2.1; BR §7.1.4.2.1): labels of letters, digits and hyphens, 1–63 characters, not starting or
/// ending with a hyphen, at most 253 characters in all, no empty label (so no leading, trailing or doubled dot), and a
/// wildcard only as the whole left-most label. Underscores are refused: BR §7.1.4.2.1 has forbidden them since 2019.
/// </summary>
internal static class DnsNameSyntax
{
    /// <summary>Returns what is wrong with <paramref name="name"/>, or null when it is a valid certificate dNSName.</summary>
    public static string? Problem(string name, bool allowWildcard = true)
    {
        if (name.Length == 0) return "is empty";
        if (name.Length > 253) return "is longer than 253 characters";
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0) return "has an empty label";
            if (label.Length > 63) return "has a label longer than 63 characters";
            if (label == "*")
            {
                if (i != 0 || !allowWildcard) return "has a wildcard that is not the whole left-most label";
                if (labels.Length < 3) return "has a wildcard with fewer than two labels after it";
                continue;
            }
            foreach (var c in label)
            {
                if (c == '_') return "contains an underscore";
                if (c == '*') return "has a wildcard that is not the whole left-most label";
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return "contains a character other than letters, digits and hyphens";
            }
            if (label[0] == '-' || label[^1] == '-') return "has a label that starts or ends with a hyphen";
        }
        return null;
    }
}
