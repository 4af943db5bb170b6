#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>One AEAD key, created once per traffic key so the record path allocates nothing per record.</summary>
public sealed class RecordAead : IDisposable
{
    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;

    public RecordAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        Algorithm = algorithm;
        if (algorithm == AeadAlgorithm.ChaCha20Poly1305)
        {
            if (!ChaCha20Poly1305.IsSupported)
                throw TlsException.Internal("ChaCha20-Poly1305 is not supported by this platform's cryptography library");
            _chacha = new ChaCha20Poly1305(key);
        }
        else
        {
            _gcm = new AesGcm(key, 16);
        }
    }

    public AeadAlgorithm Algorithm { get; }

    /// <summary>Encrypts in place when <paramref name="plaintext"/> and <paramref name="ciphertext"/> are the same span.</summary>
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (_gcm != null) _gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        else _chacha!.Encrypt(nonce, plaintext, ciphertext, tag, aad);
    }

    /// <summary>Returns false when the tag does not verify (the caller sends bad_record_mac).</summary>
    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        try
        {
            if (_gcm != null) _gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            else _chacha!.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // The only expected failure: a forged or corrupted record. Anything else propagates.
            plaintext.Clear();
            return false;
        }
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
    }
}
