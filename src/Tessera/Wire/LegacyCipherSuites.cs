#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>
/// Names of the legacy suites Tessera refuses (CBC, RC4, 3DES, NULL, export, static RSA, DHE), so an error can
/// say what a peer offered. Only the common ones are named; the rest show as hex.
/// </summary>
public static class LegacyCipherSuites
{
    private static readonly Dictionary<ushort, string> Names = new()
    {
        [0x0000] = "TLS_NULL_WITH_NULL_NULL",
        [0x0001] = "TLS_RSA_WITH_NULL_MD5",
        [0x0002] = "TLS_RSA_WITH_NULL_SHA",
        [0x0003] = "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
        [0x0004] = "TLS_RSA_WITH_RC4_128_MD5",
        [0x0005] = "TLS_RSA_WITH_RC4_128_SHA",
        [0x0008] = "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
        [0x0009] = "TLS_RSA_WITH_DES_CBC_SHA",
        [0x000a] = "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        [0x0016] = "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
        [0x002f] = "TLS_RSA_WITH_AES_128_CBC_SHA",
        [0x0033] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        [0x0035] = "TLS_RSA_WITH_AES_256_CBC_SHA",
        [0x0039] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        [0x003c] = "TLS_RSA_WITH_AES_128_CBC_SHA256",
        [0x003d] = "TLS_RSA_WITH_AES_256_CBC_SHA256",
        [0x0067] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        [0x006b] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        [0x009c] = "TLS_RSA_WITH_AES_128_GCM_SHA256",
        [0x009d] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
        [0x009e] = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        [0x009f] = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        [0xc007] = "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
        [0xc008] = "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
        [0xc009] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        [0xc00a] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        [0xc011] = "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        [0xc012] = "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        [0xc013] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        [0xc014] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        [0xc023] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        [0xc024] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        [0xc027] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        [0xc028] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        [0xccaa] = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    public static string? NameOf(ushort suite) => Names.GetValueOrDefault(suite);
}
