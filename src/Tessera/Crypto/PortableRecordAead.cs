using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>The portable provider's record AEAD: .NET's <see cref="AesGcm"/> and <see cref="ChaCha20Poly1305"/>.</summary>
internal sealed class PortableRecordAead : RecordAead
{
    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;

    public PortableRecordAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        var expected = algorithm == AeadAlgorithm.Aes128Gcm ? 16 : 32;
        // AesGcm alone would take any AES key size for either suite.
        if (key.Length != expected) throw TlsException.Internal($"{algorithm} takes a {expected}-byte key, not {key.Length}");
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

    public override AeadAlgorithm Algorithm { get; }

    public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (_gcm != null) _gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        else _chacha!.Encrypt(nonce, plaintext, ciphertext, tag, aad);
    }

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
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

    public override void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
    }
}
