#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>Cipher suite code points Tessera negotiates: the TLS 1.3 suites and the TLS 1.2 ECDHE + AEAD suites.</summary>
public enum CipherSuite : ushort
{
    TlsAes128GcmSha256 = 0x1301,
    TlsAes256GcmSha384 = 0x1302,
    TlsChaCha20Poly1305Sha256 = 0x1303,
    // RFC 5289
    TlsEcdheEcdsaWithAes128GcmSha256 = 0xc02b,
    TlsEcdheEcdsaWithAes256GcmSha384 = 0xc02c,
    TlsEcdheRsaWithAes128GcmSha256 = 0xc02f,
    TlsEcdheRsaWithAes256GcmSha384 = 0xc030,
    // RFC 7905
    TlsEcdheRsaWithChaCha20Poly1305Sha256 = 0xcca8,
    TlsEcdheEcdsaWithChaCha20Poly1305Sha256 = 0xcca9,
    /// <summary>RFC 7507 signalling value; never negotiated.</summary>
    TlsFallbackScsv = 0x5600,
    /// <summary>RFC 5746 signalling value; never negotiated.</summary>
    TlsEmptyRenegotiationInfoScsv = 0x00ff,
}
