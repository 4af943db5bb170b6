using Tessera.Crypto;

namespace Tessera.Wire;

/// <summary>
/// Names of the registry values both ways. <c>Of</c> prints a group, scheme, suite, compression algorithm or version as
/// IANA names it (from <see cref="NamedGroupRegistry"/> and <see cref="CipherSuiteRegistry"/> where there is one).
/// The list parsers read the names people type for groups, cipher suites, signature schemes and certificate compression algorithms:
/// the names <c>Of</c> prints (IANA's, case-insensitive), OpenSSL's names and the aliases the registries
/// list (<see cref="NamedGroupRegistry"/>, <see cref="CipherSuiteRegistry"/>), in lists separated by commas or colons
/// (as OpenSSL writes them). Only what this build can use is accepted.
/// </summary>
public static class TlsNames
{
    /// <summary>The IANA name of a group, from <see cref="NamedGroupRegistry"/>.</summary>
    public static string Of(NamedGroup group) => NamedGroupRegistry.NameOf((ushort)group);

    /// <summary>RFC 7919 §6.1: 0x0100–0x01FF are finite-field Diffie-Hellman groups (0x01FC–0x01FF private use).</summary>
    public static bool IsFiniteField(NamedGroup group) => (ushort)group is >= 0x0100 and <= 0x01ff;

    /// <summary>The IANA name of a signature scheme ("ecdsa_secp256r1_sha256"), or "scheme(0xNNNN)" for one Tessera does not know.</summary>
    public static string Of(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPkcs1Sha1 => "rsa_pkcs1_sha1",
        SignatureScheme.EcdsaSha1 => "ecdsa_sha1",
        SignatureScheme.RsaPkcs1Sha256 => "rsa_pkcs1_sha256",
        SignatureScheme.RsaPkcs1Sha384 => "rsa_pkcs1_sha384",
        SignatureScheme.RsaPkcs1Sha512 => "rsa_pkcs1_sha512",
        SignatureScheme.EcdsaSecp256r1Sha256 => "ecdsa_secp256r1_sha256",
        SignatureScheme.EcdsaSecp384r1Sha384 => "ecdsa_secp384r1_sha384",
        SignatureScheme.EcdsaSecp521r1Sha512 => "ecdsa_secp521r1_sha512",
        SignatureScheme.RsaPssRsaeSha256 => "rsa_pss_rsae_sha256",
        SignatureScheme.RsaPssRsaeSha384 => "rsa_pss_rsae_sha384",
        SignatureScheme.RsaPssRsaeSha512 => "rsa_pss_rsae_sha512",
        SignatureScheme.Ed25519 => "ed25519",
        SignatureScheme.Ed448 => "ed448",
        SignatureScheme.RsaPssPssSha256 => "rsa_pss_pss_sha256",
        SignatureScheme.RsaPssPssSha384 => "rsa_pss_pss_sha384",
        SignatureScheme.RsaPssPssSha512 => "rsa_pss_pss_sha512",
        _ => $"scheme(0x{(ushort)scheme:x4})",
    };

    /// <summary>The IANA name of a cipher suite, from <see cref="CipherSuiteRegistry"/>.</summary>
    public static string Of(CipherSuite suite) => CipherSuiteRegistry.NameOf((ushort)suite);

    /// <summary>The RFC 8879 name of a certificate compression algorithm: "zlib", "brotli", "zstd", or its number.</summary>
    public static string Of(CertificateCompressionAlgorithm algorithm) => algorithm switch
    {
        CertificateCompressionAlgorithm.Zlib => "zlib",
        CertificateCompressionAlgorithm.Brotli => "brotli",
        CertificateCompressionAlgorithm.Zstd => "zstd",
        _ => $"0x{(ushort)algorithm:x4}",
    };

    /// <summary>A protocol version as people write it ("TLS 1.3", "SSL 3.0"), "GREASE(0xNNNN)" for a GREASE value, or "0xNNNN".</summary>
    public static string OfVersion(ushort version) => version switch
    {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => ExtensionNames.IsGrease(version) ? $"GREASE(0x{version:x4})" : $"0x{version:x4}",
    };

    /// <summary>Groups in the order given ("x25519,p256"); throws <see cref="FormatException"/> naming an unknown one and the known ones.</summary>
    public static List<NamedGroup> Groups(string list) => Parse(list, "group", Enum.GetValues<NamedGroup>(), TlsNames.Of, g =>
        NamedGroupRegistry.Find((ushort)g) is { } entry ? [entry.OpenSslName, .. entry.Aliases] : [], KeyExchange.IsSupported);

    /// <summary>Cipher suites in the order given (IANA names, or OpenSSL's for TLS 1.2); throws <see cref="FormatException"/> for an unknown one.</summary>
    public static List<CipherSuite> Suites(string list) => Parse(list, "cipher suite", Enum.GetValues<CipherSuite>(), TlsNames.Of, s =>
        CipherSuiteRegistry.Find((ushort)s) is { } entry ? [entry.OpenSslName, .. entry.Aliases] : [], s => CipherSuiteInfo.Find((ushort)s) is not null);

    /// <summary>Certificate compression algorithms ("brotli,zlib"), or "none" for an empty list (compression off).</summary>
    public static List<CertificateCompressionAlgorithm> CertificateCompression(string list) =>
        list.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : Parse(list, "certificate compression algorithm", Enum.GetValues<CertificateCompressionAlgorithm>(), TlsNames.Of, _ => [],
                a => a is CertificateCompressionAlgorithm.Brotli or CertificateCompressionAlgorithm.Zlib);

    /// <summary>Signature schemes by their IANA names ("ecdsa_secp256r1_sha256"); throws <see cref="FormatException"/> for an unknown one.</summary>
    public static List<SignatureScheme> Schemes(string list) => Parse(list, "signature scheme", Enum.GetValues<SignatureScheme>(), TlsNames.Of, _ => [],
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
