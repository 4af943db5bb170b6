#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Crypto;

/// <summary>The AEADs TLS 1.3 and TLS 1.2 (AEAD suites only) use.</summary>
public enum AeadAlgorithm
{
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
}
