using System.Text.RegularExpressions;
using Tessera.Wire;
using Xunit;

namespace Tessera.Scan.Tests.Support;

/// <summary>What `sslscan --no-colour` printed, parsed into the sets a `tessera scan` is compared with.</summary>
public sealed partial class SslscanReport
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

    /// <summary>
    /// Asserts that <paramref name="report"/> saw what sslscan saw: the enabled versions, the suites and groups per
    /// version, the signature schemes per version it lists, and TLS_FALLBACK_SCSV.
    /// </summary>
    /// <param name="compareTls12Groups">False for a server sslscan cannot read the TLS 1.2 group of (see the caller).</param>
    public static void AssertSameAs(SslscanReport referee, ScanReport report, bool compareTls12Groups)
    {
        var ours = new HashSet<string>();
        foreach (var v in report.Versions)
            if (v.Supported) ours.Add(VersionName(v.Name));
        Assert.Equal(Sorted(referee.EnabledVersions), Sorted(ours));

        foreach (var s in report.Suites)
        {
            var name = VersionName(TlsNames.OfVersion((ushort)s.Version));
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var a in s.Accepted) names.Add(a.Info.OpenSslName);
            Assert.Equal(referee.Suites.GetValueOrDefault(name) ?? [], names);
        }
        foreach (var g in report.Groups)
        {
            if (g.Version == ProtocolVersion.Tls12 && !compareTls12Groups) continue;
            var name = VersionName(TlsNames.OfVersion((ushort)g.Version));
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var a in g.Accepted) names.Add(a.Name);
            // sslscan 2.0 (on OpenSSL 3.0) cannot offer the ML-KEM hybrid, so it is left out of the comparison.
            names.Remove("X25519MLKEM768");
            var expected = referee.Groups.GetValueOrDefault(name) ?? [];
            // sslscan offers each TLS 1.2 group alone, so with an ECDSA key it sees only the certificate's curve (RFC 8422
            // §5.1); the scanner also asks each group beside that curve and says so in the note: what sslscan sees it
            // must see too, and more only with the note.
            if (g.Note is not null) Assert.Subset(names, new SortedSet<string>(expected, StringComparer.Ordinal));
            else Assert.Equal(expected, names);
        }
        // sslscan 2.0.7 lists no TLS 1.2 signature algorithms at all for servers with an ECDSA key, nor for gnutls-serv,
        // so the schemes are compared for the versions it does list (TLS 1.3 everywhere, TLS 1.2 on RSA-keyed OpenSSL).
        var compared = 0;
        foreach (var (version, schemes) in report.Handshake!.SignatureSchemes)
        {
            var name = VersionName(TlsNames.OfVersion((ushort)version));
            if (!referee.SignatureSchemes.TryGetValue(name, out var theirs)) continue;
            Assert.Equal(theirs, new SortedSet<string>(schemes, StringComparer.Ordinal));
            compared++;
        }
        Assert.True(compared > 0 || !report.Supports(ProtocolVersion.Tls13), "sslscan listed no signature algorithms to compare with");
        if (referee.FallbackScsv is { } scsv) Assert.Equal(scsv, report.FallbackScsvHonoured);
    }

    private static string Sorted(IEnumerable<string> set) => string.Join(",", set.Order(StringComparer.Ordinal));

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
