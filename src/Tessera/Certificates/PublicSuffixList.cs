using System.Globalization;

namespace Tessera.Certificates;

/// <summary>
/// The ICANN section of the Public Suffix List, embedded (PublicSuffixList.dat; tools/update-public-suffix-list.sh
/// refreshes it) and loaded on first use — only a wildcard name needs it. Answers one question: is this domain a
/// public suffix, a name under which anyone may register? Rules follow https://publicsuffix.org/list/: plain
/// ("co.uk"), wildcard ("*.ck": every child of ck) and exception ("!www.ck": not a suffix after all); a single
/// label is a suffix by the implicit "*" rule.
/// </summary>
internal static class PublicSuffixList
{
    private sealed record Rules(HashSet<string> Plain, HashSet<string> Wildcard, HashSet<string> Exception);

    private static readonly Lazy<Rules> Loaded = new(Load);

    /// <summary>Whether <paramref name="domain"/> (A-label or U-label form, any case, no trailing dot) is a public suffix.</summary>
    public static bool IsPublicSuffix(string domain)
    {
        var name = Normalize(domain);
        if (name is null) return false;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return true;   // the implicit "*" rule: every top-level label
        var rules = Loaded.Value;
        if (rules.Exception.Contains(name)) return false;
        return rules.Plain.Contains(name) || rules.Wildcard.Contains(name[(dot + 1)..]);
    }

    /// <summary>How many rules are loaded (for tests and the docs' figure).</summary>
    internal static int Count => Loaded.Value.Plain.Count + Loaded.Value.Wildcard.Count + Loaded.Value.Exception.Count;

    private static string? Normalize(string domain)
    {
        try
        {
            return new IdnMapping().GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Rules Load()
    {
        var rules = new Rules(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("Tessera.PublicSuffixList.dat")
            ?? throw new InvalidOperationException("the embedded Public Suffix List is missing from the assembly");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (line.StartsWith("!", StringComparison.Ordinal)) Add(rules.Exception, line[1..]);
            else if (line.StartsWith("*.", StringComparison.Ordinal)) Add(rules.Wildcard, line[2..]);
            else Add(rules.Plain, line);
        }
        return rules;
    }

    private static void Add(HashSet<string> set, string rule)
    {
        if (Normalize(rule) is { } name) set.Add(name);
    }
}
