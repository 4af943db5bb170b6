using Tessera.Crypto;

namespace Tessera.Wire;

/// <summary>
/// Parses the names people type for groups, cipher suites, signature schemes and certificate compression algorithms:
/// the names <see cref="GroupNames"/> prints (IANA's, case-insensitive) and the common OpenSSL-style aliases, in lists
/// separated by commas or colons (as OpenSSL writes them). Only what this build can use is accepted.
/// </summary>
public static class TlsNames
{
    /// <summary>Groups in the order given ("x25519,p256"); throws <see cref="FormatException"/> naming an unknown one and the known ones.</summary>
    public static List<NamedGroup> Groups(string list) => Parse(list, "group", Enum.GetValues<NamedGroup>(), GroupNames.Of, g => g switch
    {
        NamedGroup.X25519 => ["x25519"],
        NamedGroup.Secp256r1 => ["p256", "p-256", "prime256v1"],
        NamedGroup.Secp384r1 => ["p384", "p-384"],
        NamedGroup.Secp521r1 => ["p521", "p-521"],
        NamedGroup.X25519MLKEM768 => ["x25519mlkem768", "mlkem768"],
        _ => [],
    }, KeyExchange.IsSupported);

    /// <summary>Cipher suites in the order given (IANA names, or OpenSSL's for TLS 1.2); throws <see cref="FormatException"/> for an unknown one.</summary>
    public static List<CipherSuite> Suites(string list) => Parse(list, "cipher suite", Enum.GetValues<CipherSuite>(), GroupNames.Of, s => s switch
    {
        CipherSuite.TlsAes128GcmSha256 => ["aes128", "aes-128-gcm"],
        CipherSuite.TlsAes256GcmSha384 => ["aes256", "aes-256-gcm"],
        CipherSuite.TlsChaCha20Poly1305Sha256 => ["chacha20", "chacha20-poly1305"],
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 => ["ECDHE-ECDSA-AES128-GCM-SHA256"],
        CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 => ["ECDHE-ECDSA-AES256-GCM-SHA384"],
        CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256 => ["ECDHE-ECDSA-CHACHA20-POLY1305"],
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256 => ["ECDHE-RSA-AES128-GCM-SHA256"],
        CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => ["ECDHE-RSA-AES256-GCM-SHA384"],
        CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256 => ["ECDHE-RSA-CHACHA20-POLY1305"],
        _ => [],
    }, s => CipherSuiteInfo.Find((ushort)s) is not null);

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
