namespace Tessera.Wire;

/// <summary>Cipher suite code points Tessera negotiates: the TLS 1.3 suites and the TLS 1.2 ECDHE + AEAD suites.</summary>
public enum CipherSuite : ushort
{
    /// <summary>TLS_AES_128_GCM_SHA256 (0x1301).</summary>
    TlsAes128GcmSha256 = 0x1301,
    /// <summary>TLS_AES_256_GCM_SHA384 (0x1302).</summary>
    TlsAes256GcmSha384 = 0x1302,
    /// <summary>TLS_CHACHA20_POLY1305_SHA256 (0x1303).</summary>
    TlsChaCha20Poly1305Sha256 = 0x1303,
    // RFC 5289
    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xc02b).</summary>
    TlsEcdheEcdsaWithAes128GcmSha256 = 0xc02b,
    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c).</summary>
    TlsEcdheEcdsaWithAes256GcmSha384 = 0xc02c,
    /// <summary>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f).</summary>
    TlsEcdheRsaWithAes128GcmSha256 = 0xc02f,
    /// <summary>TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (0xc030).</summary>
    TlsEcdheRsaWithAes256GcmSha384 = 0xc030,
    // RFC 7905
    /// <summary>TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca8).</summary>
    TlsEcdheRsaWithChaCha20Poly1305Sha256 = 0xcca8,
    /// <summary>TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca9).</summary>
    TlsEcdheEcdsaWithChaCha20Poly1305Sha256 = 0xcca9,
    /// <summary>RFC 7507 signalling value; never negotiated.</summary>
    TlsFallbackScsv = 0x5600,
    /// <summary>RFC 5746 signalling value; never negotiated.</summary>
    TlsEmptyRenegotiationInfoScsv = 0x00ff,
}
