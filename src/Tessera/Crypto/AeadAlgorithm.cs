namespace Tessera.Crypto;

/// <summary>The AEADs TLS 1.3 and TLS 1.2 (AEAD suites only) use.</summary>
public enum AeadAlgorithm
{
    /// <summary>AES-128-GCM (RFC 5116 AEAD_AES_128_GCM): 16-byte key, 12-byte nonce, 16-byte tag.</summary>
    Aes128Gcm,
    /// <summary>AES-256-GCM (RFC 5116 AEAD_AES_256_GCM): 32-byte key, 12-byte nonce, 16-byte tag.</summary>
    Aes256Gcm,
    /// <summary>ChaCha20-Poly1305 (RFC 8439): 32-byte key, 12-byte nonce, 16-byte tag.</summary>
    ChaCha20Poly1305,
}
