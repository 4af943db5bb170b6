namespace Tessera.Wire;

/// <summary>
/// The TLS Cipher Suites registry as Tessera knows it: one row per suite, with both names, for every place that
/// names a suite (traces, errors, the name parser, the scanner). Every suite the scanner offers is here. The rows from 0x1302 to the SRP suites are what OpenSSL 3.0 lists for
/// <c>ALL:COMPLEMENTOFALL:@SECLEVEL=0</c> (<c>openssl ciphers -V -stdname</c>), in its order, strongest first; the
/// legacy rows after them (RC4, DES, 3DES, export, IDEA, SEED, TLS 1.3 CCM) are suites OpenSSL 3 no longer builds
/// but old servers still accept, and a scanner exists to find exactly those.
/// </summary>
public static class CipherSuiteRegistry
{
    /// <summary>Every row, in the order a scanner offers them (OpenSSL's order, strongest first, then the legacy ones).</summary>
    public static readonly IReadOnlyList<CipherSuiteEntry> All =
    [
        new(0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", ProtocolVersion.Tls13, "any", "any", "AESGCM", 256, "AEAD") { Aliases = ["aes256", "aes-256-gcm"] },
        new(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", ProtocolVersion.Tls13, "any", "any", "CHACHA20/POLY1305", 256, "AEAD") { Aliases = ["chacha20", "chacha20-poly1305"] },
        new(0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", ProtocolVersion.Tls13, "any", "any", "AESGCM", 128, "AEAD") { Aliases = ["aes128", "aes-128-gcm"] },
        new(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESGCM", 256, "AEAD"),
        new(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", ProtocolVersion.Tls12, "ECDH", "RSA", "AESGCM", 256, "AEAD"),
        new(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384", ProtocolVersion.Tls12, "DH", "DSS", "AESGCM", 256, "AEAD"),
        new(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", ProtocolVersion.Tls12, "DH", "RSA", "AESGCM", 256, "AEAD"),
        new(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", ProtocolVersion.Tls12, "ECDH", "ECDSA", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", ProtocolVersion.Tls12, "ECDH", "RSA", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305", ProtocolVersion.Tls12, "DH", "RSA", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", "ECDHE-ECDSA-AES256-CCM8", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESCCM8", 256, "AEAD"),
        new(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "ECDHE-ECDSA-AES256-CCM", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESCCM", 256, "AEAD"),
        new(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", "DHE-RSA-AES256-CCM8", ProtocolVersion.Tls12, "DH", "RSA", "AESCCM8", 256, "AEAD"),
        new(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM", "DHE-RSA-AES256-CCM", ProtocolVersion.Tls12, "DH", "RSA", "AESCCM", 256, "AEAD"),
        new(0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", "ECDHE-ECDSA-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "ECDH", "ECDSA", "ARIAGCM", 256, "AEAD"),
        new(0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", "ECDHE-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "ECDH", "RSA", "ARIAGCM", 256, "AEAD"),
        new(0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", "DHE-DSS-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "DH", "DSS", "ARIAGCM", 256, "AEAD"),
        new(0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", "DHE-RSA-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "DH", "RSA", "ARIAGCM", 256, "AEAD"),
        new(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", "ADH-AES256-GCM-SHA384", ProtocolVersion.Tls12, "DH", "None", "AESGCM", 256, "AEAD"),
        new(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESGCM", 128, "AEAD"),
        new(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", ProtocolVersion.Tls12, "ECDH", "RSA", "AESGCM", 128, "AEAD"),
        new(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "AESGCM", 128, "AEAD"),
        new(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "AESGCM", 128, "AEAD"),
        new(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM8", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESCCM8", 128, "AEAD"),
        new(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AESCCM", 128, "AEAD"),
        new(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", "DHE-RSA-AES128-CCM8", ProtocolVersion.Tls12, "DH", "RSA", "AESCCM8", 128, "AEAD"),
        new(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM", "DHE-RSA-AES128-CCM", ProtocolVersion.Tls12, "DH", "RSA", "AESCCM", 128, "AEAD"),
        new(0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", "ECDHE-ECDSA-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "ECDH", "ECDSA", "ARIAGCM", 128, "AEAD"),
        new(0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", "ECDHE-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "ECDH", "RSA", "ARIAGCM", 128, "AEAD"),
        new(0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", "DHE-DSS-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "ARIAGCM", 128, "AEAD"),
        new(0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", "DHE-RSA-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "ARIAGCM", 128, "AEAD"),
        new(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "ADH-AES128-GCM-SHA256", ProtocolVersion.Tls12, "DH", "None", "AESGCM", 128, "AEAD"),
        new(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AES", 256, "SHA384"),
        new(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", ProtocolVersion.Tls12, "ECDH", "RSA", "AES", 256, "SHA384"),
        new(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "AES", 256, "SHA256"),
        new(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "DHE-DSS-AES256-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "AES", 256, "SHA256"),
        new(0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-ECDSA-CAMELLIA256-SHA384", ProtocolVersion.Tls12, "ECDH", "ECDSA", "Camellia", 256, "SHA384"),
        new(0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-RSA-CAMELLIA256-SHA384", ProtocolVersion.Tls12, "ECDH", "RSA", "Camellia", 256, "SHA384"),
        new(0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", "DHE-RSA-CAMELLIA256-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "Camellia", 256, "SHA256"),
        new(0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", "DHE-DSS-CAMELLIA256-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "Camellia", 256, "SHA256"),
        new(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", "ADH-AES256-SHA256", ProtocolVersion.Tls12, "DH", "None", "AES", 256, "SHA256"),
        new(0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", "ADH-CAMELLIA256-SHA256", ProtocolVersion.Tls12, "DH", "None", "Camellia", 256, "SHA256"),
        new(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", ProtocolVersion.Tls12, "ECDH", "ECDSA", "AES", 128, "SHA256"),
        new(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", ProtocolVersion.Tls12, "ECDH", "RSA", "AES", 128, "SHA256"),
        new(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "AES", 128, "SHA256"),
        new(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "DHE-DSS-AES128-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "AES", 128, "SHA256"),
        new(0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-ECDSA-CAMELLIA128-SHA256", ProtocolVersion.Tls12, "ECDH", "ECDSA", "Camellia", 128, "SHA256"),
        new(0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-RSA-CAMELLIA128-SHA256", ProtocolVersion.Tls12, "ECDH", "RSA", "Camellia", 128, "SHA256"),
        new(0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "DHE-RSA-CAMELLIA128-SHA256", ProtocolVersion.Tls12, "DH", "RSA", "Camellia", 128, "SHA256"),
        new(0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", "DHE-DSS-CAMELLIA128-SHA256", ProtocolVersion.Tls12, "DH", "DSS", "Camellia", 128, "SHA256"),
        new(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", "ADH-AES128-SHA256", ProtocolVersion.Tls12, "DH", "None", "AES", 128, "SHA256"),
        new(0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", "ADH-CAMELLIA128-SHA256", ProtocolVersion.Tls12, "DH", "None", "Camellia", 128, "SHA256"),
        new(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", ProtocolVersion.Tls10, "ECDH", "ECDSA", "AES", 256, "SHA1"),
        new(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", ProtocolVersion.Tls10, "ECDH", "RSA", "AES", 256, "SHA1"),
        new(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "AES", 256, "SHA1"),
        new(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "DHE-DSS-AES256-SHA", ProtocolVersion.Ssl30, "DH", "DSS", "AES", 256, "SHA1"),
        new(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "DHE-RSA-CAMELLIA256-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "Camellia", 256, "SHA1"),
        new(0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", "DHE-DSS-CAMELLIA256-SHA", ProtocolVersion.Ssl30, "DH", "DSS", "Camellia", 256, "SHA1"),
        new(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "AECDH-AES256-SHA", ProtocolVersion.Tls10, "ECDH", "None", "AES", 256, "SHA1"),
        new(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA", "ADH-AES256-SHA", ProtocolVersion.Ssl30, "DH", "None", "AES", 256, "SHA1"),
        new(0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", "ADH-CAMELLIA256-SHA", ProtocolVersion.Ssl30, "DH", "None", "Camellia", 256, "SHA1"),
        new(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", ProtocolVersion.Tls10, "ECDH", "ECDSA", "AES", 128, "SHA1"),
        new(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", ProtocolVersion.Tls10, "ECDH", "RSA", "AES", 128, "SHA1"),
        new(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "AES", 128, "SHA1"),
        new(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "DHE-DSS-AES128-SHA", ProtocolVersion.Ssl30, "DH", "DSS", "AES", 128, "SHA1"),
        new(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", "DHE-RSA-CAMELLIA128-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "Camellia", 128, "SHA1"),
        new(0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", "DHE-DSS-CAMELLIA128-SHA", ProtocolVersion.Ssl30, "DH", "DSS", "Camellia", 128, "SHA1"),
        new(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "AECDH-AES128-SHA", ProtocolVersion.Tls10, "ECDH", "None", "AES", 128, "SHA1"),
        new(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA", ProtocolVersion.Ssl30, "DH", "None", "AES", 128, "SHA1"),
        new(0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", "ADH-CAMELLIA128-SHA", ProtocolVersion.Ssl30, "DH", "None", "Camellia", 128, "SHA1"),
        new(0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", "RSA-PSK-AES256-GCM-SHA384", ProtocolVersion.Tls12, "RSAPSK", "RSA", "AESGCM", 256, "AEAD"),
        new(0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", "DHE-PSK-AES256-GCM-SHA384", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESGCM", 256, "AEAD"),
        new(0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", "RSA-PSK-CHACHA20-POLY1305", ProtocolVersion.Tls12, "RSAPSK", "RSA", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "DHE-PSK-CHACHA20-POLY1305", ProtocolVersion.Tls12, "DHEPSK", "PSK", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-PSK-CHACHA20-POLY1305", ProtocolVersion.Tls12, "ECDHEPSK", "PSK", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8", "DHE-PSK-AES256-CCM8", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESCCM8", 256, "AEAD"),
        new(0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM", "DHE-PSK-AES256-CCM", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESCCM", 256, "AEAD"),
        new(0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", "RSA-PSK-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "RSAPSK", "RSA", "ARIAGCM", 256, "AEAD"),
        new(0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", "DHE-PSK-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "DHEPSK", "PSK", "ARIAGCM", 256, "AEAD"),
        new(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", ProtocolVersion.Tls12, "RSA", "RSA", "AESGCM", 256, "AEAD"),
        new(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", "AES256-CCM8", ProtocolVersion.Tls12, "RSA", "RSA", "AESCCM8", 256, "AEAD"),
        new(0xC09D, "TLS_RSA_WITH_AES_256_CCM", "AES256-CCM", ProtocolVersion.Tls12, "RSA", "RSA", "AESCCM", 256, "AEAD"),
        new(0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", "ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "RSA", "RSA", "ARIAGCM", 256, "AEAD"),
        new(0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", "PSK-AES256-GCM-SHA384", ProtocolVersion.Tls12, "PSK", "PSK", "AESGCM", 256, "AEAD"),
        new(0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", "PSK-CHACHA20-POLY1305", ProtocolVersion.Tls12, "PSK", "PSK", "CHACHA20/POLY1305", 256, "AEAD"),
        new(0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8", "PSK-AES256-CCM8", ProtocolVersion.Tls12, "PSK", "PSK", "AESCCM8", 256, "AEAD"),
        new(0xC0A5, "TLS_PSK_WITH_AES_256_CCM", "PSK-AES256-CCM", ProtocolVersion.Tls12, "PSK", "PSK", "AESCCM", 256, "AEAD"),
        new(0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384", "PSK-ARIA256-GCM-SHA384", ProtocolVersion.Tls12, "PSK", "PSK", "ARIAGCM", 256, "AEAD"),
        new(0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", "RSA-PSK-AES128-GCM-SHA256", ProtocolVersion.Tls12, "RSAPSK", "RSA", "AESGCM", 128, "AEAD"),
        new(0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", "DHE-PSK-AES128-GCM-SHA256", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESGCM", 128, "AEAD"),
        new(0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", "DHE-PSK-AES128-CCM8", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESCCM8", 128, "AEAD"),
        new(0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM", "DHE-PSK-AES128-CCM", ProtocolVersion.Tls12, "DHEPSK", "PSK", "AESCCM", 128, "AEAD"),
        new(0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", "RSA-PSK-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "RSAPSK", "RSA", "ARIAGCM", 128, "AEAD"),
        new(0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", "DHE-PSK-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "DHEPSK", "PSK", "ARIAGCM", 128, "AEAD"),
        new(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "AESGCM", 128, "AEAD"),
        new(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", "AES128-CCM8", ProtocolVersion.Tls12, "RSA", "RSA", "AESCCM8", 128, "AEAD"),
        new(0xC09C, "TLS_RSA_WITH_AES_128_CCM", "AES128-CCM", ProtocolVersion.Tls12, "RSA", "RSA", "AESCCM", 128, "AEAD"),
        new(0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", "ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "ARIAGCM", 128, "AEAD"),
        new(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK-AES128-GCM-SHA256", ProtocolVersion.Tls12, "PSK", "PSK", "AESGCM", 128, "AEAD"),
        new(0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8", "PSK-AES128-CCM8", ProtocolVersion.Tls12, "PSK", "PSK", "AESCCM8", 128, "AEAD"),
        new(0xC0A4, "TLS_PSK_WITH_AES_128_CCM", "PSK-AES128-CCM", ProtocolVersion.Tls12, "PSK", "PSK", "AESCCM", 128, "AEAD"),
        new(0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256", "PSK-ARIA128-GCM-SHA256", ProtocolVersion.Tls12, "PSK", "PSK", "ARIAGCM", 128, "AEAD"),
        new(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "AES", 256, "SHA256"),
        new(0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", "CAMELLIA256-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "Camellia", 256, "SHA256"),
        new(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "AES", 128, "SHA256"),
        new(0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", "CAMELLIA128-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "Camellia", 128, "SHA256"),
        new(0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", "ECDHE-PSK-AES256-CBC-SHA384", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "AES", 256, "SHA384"),
        new(0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", "ECDHE-PSK-AES256-CBC-SHA", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "AES", 256, "SHA1"),
        new(0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", "SRP-DSS-AES-256-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "DSS", "AES", 256, "SHA1"),
        new(0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", "SRP-RSA-AES-256-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "RSA", "AES", 256, "SHA1"),
        new(0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", "SRP-AES-256-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "SRP", "AES", 256, "SHA1"),
        new(0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", "RSA-PSK-AES256-CBC-SHA384", ProtocolVersion.Tls10, "RSAPSK", "RSA", "AES", 256, "SHA384"),
        new(0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", "DHE-PSK-AES256-CBC-SHA384", ProtocolVersion.Tls10, "DHEPSK", "PSK", "AES", 256, "SHA384"),
        new(0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", "RSA-PSK-AES256-CBC-SHA", ProtocolVersion.Ssl30, "RSAPSK", "RSA", "AES", 256, "SHA1"),
        new(0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", "DHE-PSK-AES256-CBC-SHA", ProtocolVersion.Ssl30, "DHEPSK", "PSK", "AES", 256, "SHA1"),
        new(0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-PSK-CAMELLIA256-SHA384", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "Camellia", 256, "SHA384"),
        new(0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", "RSA-PSK-CAMELLIA256-SHA384", ProtocolVersion.Tls10, "RSAPSK", "RSA", "Camellia", 256, "SHA384"),
        new(0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", "DHE-PSK-CAMELLIA256-SHA384", ProtocolVersion.Tls10, "DHEPSK", "PSK", "Camellia", 256, "SHA384"),
        new(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "AES", 256, "SHA1"),
        new(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", "CAMELLIA256-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "Camellia", 256, "SHA1"),
        new(0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384", "PSK-AES256-CBC-SHA384", ProtocolVersion.Tls10, "PSK", "PSK", "AES", 256, "SHA384"),
        new(0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA", "PSK-AES256-CBC-SHA", ProtocolVersion.Ssl30, "PSK", "PSK", "AES", 256, "SHA1"),
        new(0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", "PSK-CAMELLIA256-SHA384", ProtocolVersion.Tls10, "PSK", "PSK", "Camellia", 256, "SHA384"),
        new(0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", "ECDHE-PSK-AES128-CBC-SHA256", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "AES", 128, "SHA256"),
        new(0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", "ECDHE-PSK-AES128-CBC-SHA", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "AES", 128, "SHA1"),
        new(0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", "SRP-DSS-AES-128-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "DSS", "AES", 128, "SHA1"),
        new(0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", "SRP-RSA-AES-128-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "RSA", "AES", 128, "SHA1"),
        new(0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "SRP-AES-128-CBC-SHA", ProtocolVersion.Ssl30, "SRP", "SRP", "AES", 128, "SHA1"),
        new(0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", "RSA-PSK-AES128-CBC-SHA256", ProtocolVersion.Tls10, "RSAPSK", "RSA", "AES", 128, "SHA256"),
        new(0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", "DHE-PSK-AES128-CBC-SHA256", ProtocolVersion.Tls10, "DHEPSK", "PSK", "AES", 128, "SHA256"),
        new(0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", "RSA-PSK-AES128-CBC-SHA", ProtocolVersion.Ssl30, "RSAPSK", "RSA", "AES", 128, "SHA1"),
        new(0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", "DHE-PSK-AES128-CBC-SHA", ProtocolVersion.Ssl30, "DHEPSK", "PSK", "AES", 128, "SHA1"),
        new(0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-PSK-CAMELLIA128-SHA256", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "Camellia", 128, "SHA256"),
        new(0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", "RSA-PSK-CAMELLIA128-SHA256", ProtocolVersion.Tls10, "RSAPSK", "RSA", "Camellia", 128, "SHA256"),
        new(0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", "DHE-PSK-CAMELLIA128-SHA256", ProtocolVersion.Tls10, "DHEPSK", "PSK", "Camellia", 128, "SHA256"),
        new(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "AES", 128, "SHA1"),
        new(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", "CAMELLIA128-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "Camellia", 128, "SHA1"),
        new(0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256", "PSK-AES128-CBC-SHA256", ProtocolVersion.Tls10, "PSK", "PSK", "AES", 128, "SHA256"),
        new(0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", "PSK-AES128-CBC-SHA", ProtocolVersion.Ssl30, "PSK", "PSK", "AES", 128, "SHA1"),
        new(0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", "PSK-CAMELLIA128-SHA256", ProtocolVersion.Tls10, "PSK", "PSK", "Camellia", 128, "SHA256"),
        new(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", "ECDHE-ECDSA-NULL-SHA", ProtocolVersion.Tls10, "ECDH", "ECDSA", "None", 0, "SHA1"),
        new(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA", "ECDHE-RSA-NULL-SHA", ProtocolVersion.Tls10, "ECDH", "RSA", "None", 0, "SHA1"),
        new(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA", "AECDH-NULL-SHA", ProtocolVersion.Tls10, "ECDH", "None", "None", 0, "SHA1"),
        new(0x003B, "TLS_RSA_WITH_NULL_SHA256", "NULL-SHA256", ProtocolVersion.Tls12, "RSA", "RSA", "None", 0, "SHA256"),
        new(0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384", "ECDHE-PSK-NULL-SHA384", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "None", 0, "SHA384"),
        new(0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256", "ECDHE-PSK-NULL-SHA256", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "None", 0, "SHA256"),
        new(0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA", "ECDHE-PSK-NULL-SHA", ProtocolVersion.Tls10, "ECDHEPSK", "PSK", "None", 0, "SHA1"),
        new(0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384", "RSA-PSK-NULL-SHA384", ProtocolVersion.Tls10, "RSAPSK", "RSA", "None", 0, "SHA384"),
        new(0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256", "RSA-PSK-NULL-SHA256", ProtocolVersion.Tls10, "RSAPSK", "RSA", "None", 0, "SHA256"),
        new(0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384", "DHE-PSK-NULL-SHA384", ProtocolVersion.Tls10, "DHEPSK", "PSK", "None", 0, "SHA384"),
        new(0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256", "DHE-PSK-NULL-SHA256", ProtocolVersion.Tls10, "DHEPSK", "PSK", "None", 0, "SHA256"),
        new(0x002E, "TLS_RSA_PSK_WITH_NULL_SHA", "RSA-PSK-NULL-SHA", ProtocolVersion.Ssl30, "RSAPSK", "RSA", "None", 0, "SHA1"),
        new(0x002D, "TLS_DHE_PSK_WITH_NULL_SHA", "DHE-PSK-NULL-SHA", ProtocolVersion.Ssl30, "DHEPSK", "PSK", "None", 0, "SHA1"),
        new(0x0002, "TLS_RSA_WITH_NULL_SHA", "NULL-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "None", 0, "SHA1"),
        new(0x0001, "TLS_RSA_WITH_NULL_MD5", "NULL-MD5", ProtocolVersion.Ssl30, "RSA", "RSA", "None", 0, "MD5"),
        new(0x00B1, "TLS_PSK_WITH_NULL_SHA384", "PSK-NULL-SHA384", ProtocolVersion.Tls10, "PSK", "PSK", "None", 0, "SHA384"),
        new(0x00B0, "TLS_PSK_WITH_NULL_SHA256", "PSK-NULL-SHA256", ProtocolVersion.Tls10, "PSK", "PSK", "None", 0, "SHA256"),
        new(0x002C, "TLS_PSK_WITH_NULL_SHA", "PSK-NULL-SHA", ProtocolVersion.Ssl30, "PSK", "PSK", "None", 0, "SHA1"),
        new(0x1304, "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256", ProtocolVersion.Tls13, "any", "any", "AESCCM", 128, "AEAD"),
        new(0x1305, "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256", ProtocolVersion.Tls13, "any", "any", "AESCCM8", 128, "AEAD"),
        new(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA", ProtocolVersion.Tls10, "ECDH", "RSA", "3DES", 112, "SHA1"),
        new(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-ECDSA-DES-CBC3-SHA", ProtocolVersion.Tls10, "ECDH", "ECDSA", "3DES", 112, "SHA1"),
        new(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "DHE-RSA-DES-CBC3-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "3DES", 112, "SHA1"),
        new(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "DHE-DSS-DES-CBC3-SHA", ProtocolVersion.Ssl30, "DH", "DSS", "3DES", 112, "SHA1"),
        new(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "3DES", 112, "SHA1"),
        new(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", "ADH-DES-CBC3-SHA", ProtocolVersion.Ssl30, "DH", "None", "3DES", 112, "SHA1"),
        new(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", "SEED-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "SEED", 128, "SHA1"),
        new(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", "IDEA-CBC-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "IDEA", 128, "SHA1"),
        new(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "ECDHE-RSA-RC4-SHA", ProtocolVersion.Tls10, "ECDH", "RSA", "RC4", 128, "SHA1"),
        new(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "ECDHE-ECDSA-RC4-SHA", ProtocolVersion.Tls10, "ECDH", "ECDSA", "RC4", 128, "SHA1"),
        new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "RC4", 128, "SHA1"),
        new(0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5", ProtocolVersion.Ssl30, "RSA", "RSA", "RC4", 128, "MD5"),
        new(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", "ADH-RC4-MD5", ProtocolVersion.Ssl30, "DH", "None", "RC4", 128, "MD5"),
        new(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", "DHE-RSA-DES-CBC-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "DES", 56, "SHA1"),
        new(0x0009, "TLS_RSA_WITH_DES_CBC_SHA", "DES-CBC-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "DES", 56, "SHA1"),
        new(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DHE-RSA-DES-CBC-SHA", ProtocolVersion.Ssl30, "DH", "RSA", "DES", 40, "SHA1"),
        new(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DES-CBC-SHA", ProtocolVersion.Ssl30, "RSA", "RSA", "DES", 40, "SHA1"),
        new(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", "EXP-RC2-CBC-MD5", ProtocolVersion.Ssl30, "RSA", "RSA", "RC2", 40, "MD5"),
        new(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXP-RC4-MD5", ProtocolVersion.Ssl30, "RSA", "RSA", "RC4", 40, "MD5"),
    ];

    private static readonly Dictionary<ushort, CipherSuiteEntry> ById = Index();

    /// <summary>The row of suite <paramref name="id"/>, or null for one the registry does not list.</summary>
    public static CipherSuiteEntry? Find(ushort id) => ById.GetValueOrDefault(id);

    /// <summary>
    /// The IANA name of suite <paramref name="id"/>; the signalling values by their names; GREASE (RFC 8701) as
    /// GREASE(0x…); anything else in hex, so a peer's unknown offer is still shown.
    /// </summary>
    public static string NameOf(ushort id) => Find(id)?.IanaName ?? id switch
    {
        0x0000 => "TLS_NULL_WITH_NULL_NULL",
        0x00FF => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        0x5600 => "TLS_FALLBACK_SCSV",
        _ => ExtensionNames.IsGrease(id) ? $"GREASE(0x{id:x4})" : $"0x{id:x4}",
    };

    /// <summary>The suites defined for a version, in catalogue order.</summary>
    public static List<CipherSuiteEntry> For(ProtocolVersion version)
    {
        var list = new List<CipherSuiteEntry>();
        foreach (var s in All)
            if (s.UsableIn(version)) list.Add(s);
        return list;
    }

    /// <summary>The numbers of the suites defined for a version, in catalogue order: what a probe offers.</summary>
    public static List<ushort> IdsFor(ProtocolVersion version)
    {
        var ids = new List<ushort>();
        foreach (var s in All)
            if (s.UsableIn(version)) ids.Add(s.Id);
        return ids;
    }

    private static Dictionary<ushort, CipherSuiteEntry> Index()
    {
        var map = new Dictionary<ushort, CipherSuiteEntry>(All.Count);
        foreach (var s in All) map.Add(s.Id, s);   // Add: a duplicate row is a defect the first scan would show
        return map;
    }
}
