namespace Tessera.Wire;

/// <summary>Cipher suite code points. Only the TLS 1.3 AEAD suites are negotiable in this layer.</summary>
public enum CipherSuite : ushort
{
    TlsAes128GcmSha256 = 0x1301,
    TlsAes256GcmSha384 = 0x1302,
    TlsChaCha20Poly1305Sha256 = 0x1303,
    /// <summary>RFC 7507 signalling value; never negotiated.</summary>
    TlsFallbackScsv = 0x5600,
    /// <summary>RFC 5746 signalling value; never negotiated.</summary>
    TlsEmptyRenegotiationInfoScsv = 0x00ff,
}
