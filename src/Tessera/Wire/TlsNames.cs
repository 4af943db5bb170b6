using Tessera.Crypto;

namespace Tessera.Wire;

/// <summary>
/// Parses the names people type for groups, cipher suites, signature schemes and certificate compression algorithms:
/// the names <see cref="GroupNames"/> prints (IANA's, case-insensitive), OpenSSL's names and the aliases the registries
/// list (<see cref="NamedGroupRegistry"/>, <see cref="CipherSuiteRegistry"/>), in lists separated by commas or colons
/// (as OpenSSL writes them). Only what this build can use is accepted.
/// </summary>
public static class TlsNames
{
    /// <summary>Groups in the order given ("x25519,p256"); throws <see cref="FormatException"/> naming an unknown one and the known ones.</summary>
    public static List<NamedGroup> Groups(string list) => Parse(list, "group", Enum.GetValues<NamedGroup>(), GroupNames.Of, g =>
        NamedGroupRegistry.Find((ushort)g) is { } entry ? [entry.OpenSslName, .. entry.Aliases] : [], KeyExchange.IsSupported);

    /// <summary>Cipher suites in the order given (IANA names, or OpenSSL's for TLS 1.2); throws <see cref="FormatException"/> for an unknown one.</summary>
    public static List<CipherSuite> Suites(string list) => Parse(list, "cipher suite", Enum.GetValues<CipherSuite>(), GroupNames.Of, s =>
        CipherSuiteRegistry.Find((ushort)s) is { } entry ? [entry.OpenSslName, .. entry.Aliases] : [], s => CipherSuiteInfo.Find((ushort)s) is not null);

    /// <summary>Certificate compression algorithms ("brotli,zlib"), or "none" for an empty list (compression off).</summary>
    public static List<CertificateCompressionAlgorithm> CertificateCompression(string list) =>
        list.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : Parse(list, "certificate compression algorithm", Enum.GetValues<CertificateCompressionAlgorithm>(), GroupNames.Of, _ => [],
                a => a is CertificateCompressionAlgorithm.Brotli or CertificateCompressionAlgorithm.Zlib);

    /// <summary>Signature schemes by their IANA names ("ecdsa_secp256r1_sha256"); throws <see cref="FormatException"/> for an unknown one.</summary>
    public static List<SignatureScheme> Schemes(string list) => Parse(list, "signature scheme", Enum.GetValues<SignatureScheme>(), GroupNames.Of, _ => [],
        SignatureSchemes.IsUsableInTls12);

    private static List<T> Parse<T>(string list, string what, T[] all, Func<T, string> name, Func<T, string[]> aliases, Func<T, bool> usable)
    {
        var result = new List<T>();
        foreach (var raw in list.Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var found = false;
            foreach (var v in all)
            {
                if (!usable(v) || !Matches(raw, name(v), aliases(v))) continue;
                result.Add(v);
                found = true;
                break;
            }
            if (!found) throw new FormatException($"unknown {what} '{raw}'; known: {Known(all, name, usable)}");
        }
        return result;
    }

    private static bool Matches(string raw, string name, string[] aliases)
    {
        if (name.Equals(raw, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var a in aliases)
            if (a.Equals(raw, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The usable values' names, once each, leaving out the placeholders printed for unnamed code points.</summary>
    private static string Known<T>(T[] all, Func<T, string> name, Func<T, bool> usable)
    {
        var names = new List<string>();
        foreach (var v in all)
        {
            if (!usable(v)) continue;
            var n = name(v);
            if (n.StartsWith("0x", StringComparison.Ordinal) || n.StartsWith("scheme(", StringComparison.Ordinal) || names.Contains(n)) continue;
            names.Add(n);
        }
        return string.Join(", ", names);
    }
}
