using System.Text.RegularExpressions;

namespace Tessera.Cli.Tests.Support;

/// <summary>What `sslscan --no-colour` printed, parsed into the sets a `tessera scan` is compared with.</summary>
internal sealed partial class SslscanReport
{
    public HashSet<string> EnabledVersions { get; } = [];
    /// <summary>Version ("TLSv1.2") to the OpenSSL names of the suites sslscan saw accepted.</summary>
    public Dictionary<string, SortedSet<string>> Suites { get; } = [];
    /// <summary>Version to group names (x25519, secp256r1, ffdhe2048), without sslscan's "(NIST P-256)" glosses.</summary>
    public Dictionary<string, SortedSet<string>> Groups { get; } = [];
    /// <summary>Version to the signature schemes sslscan saw the server sign with (--show-sigs).</summary>
    public Dictionary<string, SortedSet<string>> SignatureSchemes { get; } = [];
    public bool? FallbackScsv { get; private set; }

    public static SslscanReport Parse(string text)
    {
        var r = new SslscanReport();
        foreach (Match m in VersionLine().Matches(text)) r.EnabledVersions.Add(m.Groups[1].Value);
        foreach (Match m in SuiteLine().Matches(text)) Add(r.Suites, m.Groups[1].Value, m.Groups[2].Value);
        foreach (Match m in GroupLine().Matches(text)) Add(r.Groups, m.Groups[1].Value, m.Groups[2].Value);
        var sigs = text.IndexOf("Server Signature Algorithm(s):", StringComparison.Ordinal);
        if (sigs >= 0)
        {
            var section = text[sigs..];
            var end = section.IndexOf("\n\n", StringComparison.Ordinal);
            foreach (Match m in SignatureLine().Matches(end < 0 ? section : section[..end])) Add(r.SignatureSchemes, m.Groups[1].Value, m.Groups[2].Value);
        }
        if (text.Contains("Server supports TLS Fallback SCSV", StringComparison.Ordinal)) r.FallbackScsv = true;
        else if (text.Contains("Server does not support TLS Fallback SCSV", StringComparison.Ordinal)) r.FallbackScsv = false;
        return r;
    }

    /// <summary>sslscan's version names for Tessera's ("TLS 1.2" → "TLSv1.2", "SSL 3.0" → "SSLv3").</summary>
    public static string VersionName(string tessera) => tessera switch
    {
        "SSL 2.0" => "SSLv2",
        "SSL 3.0" => "SSLv3",
        _ => "TLSv" + tessera["TLS ".Length..],
    };

    private static void Add(Dictionary<string, SortedSet<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var set)) map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(value);
    }

    [GeneratedRegex(@"^(SSLv2|SSLv3|TLSv1\.[0-3])\s+enabled", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^(?:Preferred|Accepted)\s+(\S+)\s+\d+ bits\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex SuiteLine();

    [GeneratedRegex(@"^(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex GroupLine();

    [GeneratedRegex(@"^(TLSv1\.[0-3])\s+([a-z][a-z0-9_]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SignatureLine();
}
