using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Certificates;

/// <summary>
/// RFC 9525 host name checks: DNS and IP subject alternative names only, no CN fallback, a wildcard only
/// as the whole left-most label, IP addresses never matched by DNS names.
/// </summary>
public static class HostnameMatcher
{
    /// <summary>Whether <paramref name="certificate"/> is for <paramref name="host"/> (a DNS name or an IP address); <paramref name="names"/> says what it is for, for the error.</summary>
    public static bool Matches(X509Certificate2 certificate, string host, out IReadOnlyList<string> names)
    {
        var (dns, ips) = Names(certificate);
        return Matches(dns, ips, host, out names);
    }

    /// <summary>The same check on names already decoded (the verifier's parsed certificate has them).</summary>
    public static bool Matches(IReadOnlyList<string> dns, IReadOnlyList<IPAddress> ips, string host, out IReadOnlyList<string> names)
    {
        names = Presented(dns, ips);
        return Matches(dns, ips, host);
    }

    /// <summary>The check alone: the verifier asks it once per full handshake, and builds the list of names only when it fails.</summary>
    internal static bool Matches(IReadOnlyList<string> dns, IReadOnlyList<IPAddress> ips, string host)
    {
        if (IPAddress.TryParse(host.AsSpan().Trim("[]"), out var address))
        {
            for (var i = 0; i < ips.Count; i++)
                if (ips[i].Equals(address)) return true;
            return false;
        }

        var wanted = Normalize(host);
        if (wanted is null) return false;
        for (var i = 0; i < dns.Count; i++)
        {
            var presented = Normalize(dns[i]);
            if (presented is not null && DnsMatches(presented, wanted)) return true;
        }
        return false;
    }

    /// <summary>Every name a certificate is for, DNS names then IP addresses, for an error message.</summary>
    internal static List<string> Presented(IReadOnlyList<string> dns, IReadOnlyList<IPAddress> ips)
    {
        var all = new List<string>(dns);
        foreach (var ip in ips) all.Add(ip.ToString());
        return all;
    }

    /// <summary>The DNS names and IP addresses of the certificate's subjectAltName.</summary>
    public static (List<string> Dns, List<IPAddress> Ips) Names(X509Certificate2 certificate)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var ext in certificate.Extensions)
        {
            if (ext is not X509SubjectAlternativeNameExtension san)
            {
                if (ext.Oid?.Value != "2.5.29.17") continue;
                san = new X509SubjectAlternativeNameExtension(ext.RawData, ext.Critical);
            }
            dns.AddRange(san.EnumerateDnsNames());
            ips.AddRange(san.EnumerateIPAddresses());
        }
        return (dns, ips);
    }

    /// <summary>Lower-case A-label form without a trailing dot, or null if the name is not a valid host name.</summary>
    /// <remarks>
    /// Memoized: the same names (a cached certificate's, the client's configured host) come back every handshake, and
    /// the IDNA mapping allocates. Bounded like the parse cache — cleared when full — so a peer's names cannot grow it.
    /// </remarks>
    private static string? Normalize(string name)
    {
        // A name longer than any DNS name (RFC 1035: 255 octets) is never valid and never cached: the cache's memory stays
        // bounded by its entry count times a short name, whatever a peer's certificate holds.
        if (name.Length > MaxCachedName) return NormalizeUncached(name);
        if (Normalized.TryGetValue(name, out var known)) return known;
        var result = NormalizeUncached(name);
        if (Normalized.Count >= NormalizedCapacity) Normalized.Clear();
        Normalized.TryAdd(name, result);
        return result;
    }

    private const int NormalizedCapacity = 4096;
    private const int MaxCachedName = 255;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> Normalized = new(StringComparer.Ordinal);

    private static string? NormalizeUncached(string name)
    {
        name = name.TrimEnd('.');
        if (name.Length == 0) return null;
        try
        {
            // Compare IDNs in their A-label (punycode) form, case-insensitively (RFC 9525 §6.3).
            var ascii = new IdnMapping().GetAscii(name.Replace("*.", "x.", StringComparison.Ordinal));
            if (name.StartsWith("*.", StringComparison.Ordinal)) ascii = "*." + ascii[2..];
            return ascii.ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool DnsMatches(string presented, string wanted)
    {
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
            return presented == wanted;
        // Wildcard: exactly the left-most label, and at least two labels after it (no "*.com").
        var suffix = presented.AsSpan(1);              // ".example.com"
        if (suffix.Count('.') < 2) return false;
        var dot = wanted.IndexOf('.');
        if (dot <= 0) return false;
        return wanted.AsSpan(dot).SequenceEqual(suffix);
    }
}
