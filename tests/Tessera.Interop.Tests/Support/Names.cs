using Tessera.Wire;

namespace Tessera.Interop.Tests.Support;

/// <summary>How each peer spells suites and groups.</summary>
public static class Names
{
    public static string OpenSslSuite(CipherSuite s) => TlsNames.Of(s);

    public static string OpenSslCipher12(CipherSuite s) => s switch
    {
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 => "ECDHE-ECDSA-AES128-GCM-SHA256",
        CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256 => "ECDHE-ECDSA-CHACHA20-POLY1305",
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256 => "ECDHE-RSA-AES128-GCM-SHA256",
        CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => "ECDHE-RSA-AES256-GCM-SHA384",
        CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256 => "ECDHE-RSA-CHACHA20-POLY1305",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string GnuTlsPriority12(CipherSuite s, NamedGroup group)
    {
        var info = Crypto.CipherSuiteInfo.Get(s);
        var cipher = info.Aead switch
        {
            Crypto.AeadAlgorithm.Aes128Gcm => "+AES-128-GCM",
            Crypto.AeadAlgorithm.Aes256Gcm => "+AES-256-GCM",
            _ => "+CHACHA20-POLY1305",
        };
        var kx = info.Authentication == Crypto.SuiteAuthentication.Rsa ? "+ECDHE-RSA" : "+ECDHE-ECDSA";
        return $"NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:{cipher}:-KX-ALL:{kx}:-GROUP-ALL:{GnuTlsGroup(group)}";
    }

    public static string OpenSslGroup(NamedGroup g) => g switch
    {
        NamedGroup.X25519 => "X25519",
        NamedGroup.Secp256r1 => "P-256",
        NamedGroup.Secp384r1 => "P-384",
        NamedGroup.Secp521r1 => "P-521",
        NamedGroup.X448 => "X448",
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    };

    public static string GnuTlsCipher(CipherSuite s) => s switch
    {
        CipherSuite.TlsAes128GcmSha256 => "+AES-128-GCM",
        CipherSuite.TlsAes256GcmSha384 => "+AES-256-GCM",
        CipherSuite.TlsChaCha20Poly1305Sha256 => "+CHACHA20-POLY1305",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string GnuTlsGroup(NamedGroup g) => g switch
    {
        NamedGroup.X25519 => "+GROUP-X25519",
        NamedGroup.Secp256r1 => "+GROUP-SECP256R1",
        NamedGroup.Secp384r1 => "+GROUP-SECP384R1",
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    };

    public static string GnuTlsPriority(CipherSuite s, params NamedGroup[] groups) =>
        $"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:{GnuTlsCipher(s)}:-GROUP-ALL:{string.Join(":", groups.Select(GnuTlsGroup))}";
}
