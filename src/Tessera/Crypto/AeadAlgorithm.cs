namespace Tessera.Crypto;

/// <summary>The AEADs TLS 1.3 and TLS 1.2 (AEAD suites only) use.</summary>
public enum AeadAlgorithm
{
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
}
