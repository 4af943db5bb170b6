namespace Tessera.Crypto;

/// <summary>
/// One AEAD key of a record protection, made by a <see cref="CryptoProvider"/> once per traffic key so the record
/// path allocates nothing per record. Nonce 12 bytes, tag 16 bytes (every TLS 1.3 and TLS 1.2 AEAD suite Tessera has).
/// </summary>
public abstract class RecordAead : IDisposable
{
    /// <summary>The algorithm this key is for.</summary>
    public abstract AeadAlgorithm Algorithm { get; }

    /// <summary>Encrypts in place when <paramref name="plaintext"/> and <paramref name="ciphertext"/> are the same span.</summary>
    public abstract void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>
    /// Decrypts (in place when the spans are the same) and returns false when the tag does not verify, with the
    /// plaintext cleared (the caller sends bad_record_mac).
    /// </summary>
    public abstract bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad);

    /// <summary>
    /// Replaces the key in place, for the next traffic key of the same algorithm and direction (handshake to
    /// application keys, a KeyUpdate): no new object and no new native context. False when this key cannot, and the
    /// caller makes a new one.
    /// </summary>
    internal virtual bool TryRekey(ReadOnlySpan<byte> key) => false;

    /// <summary>Releases the key.</summary>
    public abstract void Dispose();
}
