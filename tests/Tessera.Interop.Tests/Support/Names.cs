using Tessera.Wire;

namespace Tessera.Interop.Tests.Support;

/// <summary>How each peer spells suites and groups.</summary>
public static class Names
{
    public static string OpenSslSuite(CipherSuite s) => GroupNames.Of(s);

    public static string OpenSslGroup(NamedGroup g) => g switch
    {
        NamedGroup.X25519 => "X25519",
        NamedGroup.Secp256r1 => "P-256",
        NamedGroup.Secp384r1 => "P-384",
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
