using Tessera.Cli.Cli;
using Tessera.Wire;

namespace Tessera.Cli.Settings;

/// <summary>Parses the names people type for groups, suites and signature schemes (IANA names, OpenSSL-style aliases).</summary>
internal static class TlsNames
{
    public static List<NamedGroup> Groups(string list) => Parse(list, "group", Enum.GetValues<NamedGroup>(), GroupNames.Of, g => g switch
    {
        NamedGroup.X25519 => ["x25519"],
        NamedGroup.Secp256r1 => ["p256", "p-256", "prime256v1"],
        NamedGroup.Secp384r1 => ["p384", "p-384"],
        NamedGroup.Secp521r1 => ["p521", "p-521"],
        NamedGroup.X25519MLKEM768 => ["x25519mlkem768", "mlkem768"],
        _ => [],
    }, Crypto.KeyExchange.IsSupported);

    /// <summary>A command's --groups, refused when it would leave a TLS 1.2-only run without a group TLS 1.2 can use.</summary>
    public static List<NamedGroup> Groups(string list, bool tls12Only)
    {
        var groups = Groups(list);
        if (tls12Only && !groups.Exists(Crypto.KeyExchange.IsUsableInTls12))
            throw new CliException(ExitCodes.Usage, "--tls1.2 needs a group that works in TLS 1.2 (X25519MLKEM768 is TLS 1.3 only)");
        return groups;
    }

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
    }, s => Crypto.CipherSuiteInfo.Find((ushort)s) is not null);

    /// <summary>--cert-compression: "brotli,zlib", or "none" for an empty list (compression off).</summary>
    public static List<CertificateCompressionAlgorithm> CertificateCompression(string list) =>
        list.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : Parse(list, "certificate compression algorithm", Enum.GetValues<CertificateCompressionAlgorithm>(), GroupNames.Of, _ => [],
                a => a is CertificateCompressionAlgorithm.Brotli or CertificateCompressionAlgorithm.Zlib);

    public static List<SignatureScheme> Schemes(string list) => Parse(list, "signature scheme", Enum.GetValues<SignatureScheme>(), GroupNames.Of, _ => [],
        s => Crypto.SignatureSchemes.IsUsableInTls12(s));

    private static List<T> Parse<T>(string list, string what, T[] all, Func<T, string> name, Func<T, string[]> aliases, Func<T, bool>? usable = null)
    {
        var result = new List<T>();
        foreach (var raw in list.Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var found = false;
            foreach (var v in all)
            {
                if (usable is not null && !usable(v)) continue;
                if (!name(v).Equals(raw, StringComparison.OrdinalIgnoreCase) && !aliases(v).Any(a => a.Equals(raw, StringComparison.OrdinalIgnoreCase))) continue;
                result.Add(v);
                found = true;
                break;
            }
            if (!found)
            {
                var known = string.Join(", ", all.Where(v => usable is null || usable(v)).Select(name).Where(n => !n.StartsWith("0x", StringComparison.Ordinal) && !n.StartsWith("scheme(", StringComparison.Ordinal)).Distinct());
                throw new CliException(ExitCodes.Usage, $"unknown {what} '{raw}'; known: {known}");
            }
        }
        return result;
    }
}
