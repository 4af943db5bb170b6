namespace Tessera.Crypto.Native;

/// <summary>
/// A record key through libcrypto's EVP cipher interface: the cipher is fetched once per process, and each direction
/// keeps one context with the key schedule set once, so a record costs a nonce, the AAD, the data and the tag — no
/// fetch and no key expansion. Each context is made on first use (a TLS traffic key only ever seals or only opens).
/// </summary>
internal sealed class NativeRecordAead : RecordAead
{
    private const int TagLength = 16;
    private const int NonceLength = 12;

    private static readonly Lazy<nint> Aes128 = new(() => Fetch("AES-128-GCM"));
    private static readonly Lazy<nint> Aes256 = new(() => Fetch("AES-256-GCM"));
    private static readonly Lazy<nint> ChaCha = new(() => Fetch("ChaCha20-Poly1305"));

    private readonly byte[]? _key;   // null for a one-direction key: its context was keyed at construction
    private readonly bool? _only;    // a one-direction key: true seals only, false opens only
    private CipherContextHandle? _sealer;
    private CipherContextHandle? _opener;
    private volatile bool _disposed;

    public NativeRecordAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        CheckKey(algorithm, key);
        Algorithm = algorithm;
        // Kept (pinned, cleared on dispose) only until both directions' contexts exist.
        _key = GC.AllocateArray<byte>(key.Length, pinned: true);
        key.CopyTo(_key);
    }

    /// <summary>A key for one direction: its one context is keyed now, from <paramref name="key"/>, and no copy is kept.</summary>
    public NativeRecordAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, bool sealing)
    {
        CheckKey(algorithm, key);
        Algorithm = algorithm;
        _only = sealing;
        if (sealing) _sealer = NewContext(encrypt: true, key);
        else _opener = NewContext(encrypt: false, key);
    }

    public override AeadAlgorithm Algorithm { get; }

    public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        CheckShapes(nonce, tag.Length, plaintext.Length, ciphertext.Length);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_only == false) throw TlsException.Internal("a record key made for opening was asked to seal");
        var handle = _sealer ??= NewContext(encrypt: true, _key);
        // Held for the whole record: a connection torn down on another thread (Dispose) must not free the context
        // while libcrypto is inside it; it is freed when this call lets go, and a call after Dispose is refused.
        using var lease = new Lease(handle);
        SealHeld(lease.Context, nonce, plaintext, ciphertext, tag, aad);
    }

    private static void SealHeld(nint context, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (LibCrypto.EVP_EncryptInit_ex2(context, 0, default, nonce, 0) != 1) throw LibCrypto.Fail("EVP_EncryptInit_ex2");
        // A null output makes the input additional authenticated data.
        if (!aad.IsEmpty && LibCrypto.EVP_EncryptUpdate(context, Span<byte>.Empty, out _, aad, aad.Length) != 1)
            throw LibCrypto.Fail("EVP_EncryptUpdate(aad)");
        if (!plaintext.IsEmpty &&
            (LibCrypto.EVP_EncryptUpdate(context, ciphertext, out var written, plaintext, plaintext.Length) != 1 || written != plaintext.Length))
            throw LibCrypto.Fail("EVP_EncryptUpdate");
        Span<byte> none = stackalloc byte[16];
        if (LibCrypto.EVP_EncryptFinal_ex(context, none, out var tail) != 1 || tail != 0) throw LibCrypto.Fail("EVP_EncryptFinal_ex");
        if (LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.AeadGetTag, TagLength, tag) != 1) throw LibCrypto.Fail("EVP_CTRL_AEAD_GET_TAG");
    }

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        CheckShapes(nonce, tag.Length, ciphertext.Length, plaintext.Length);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_only == true) throw TlsException.Internal("a record key made for sealing was asked to open");
        var handle = _opener ??= NewContext(encrypt: false, _key);
        using var lease = new Lease(handle);
        return OpenHeld(lease.Context, nonce, ciphertext, tag, plaintext, aad);
    }

    private static bool OpenHeld(nint context, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        if (LibCrypto.EVP_DecryptInit_ex2(context, 0, default, nonce, 0) != 1) throw LibCrypto.Fail("EVP_DecryptInit_ex2");
        if (!aad.IsEmpty && LibCrypto.EVP_DecryptUpdate(context, Span<byte>.Empty, out _, aad, aad.Length) != 1)
            throw LibCrypto.Fail("EVP_DecryptUpdate(aad)");
        if (!ciphertext.IsEmpty &&
            (LibCrypto.EVP_DecryptUpdate(context, plaintext, out var written, ciphertext, ciphertext.Length) != 1 || written != ciphertext.Length))
            throw LibCrypto.Fail("EVP_DecryptUpdate");
        // EVP_CTRL_AEAD_SET_TAG takes a writable pointer though it only reads it.
        Span<byte> expected = stackalloc byte[TagLength];
        tag.CopyTo(expected);
        if (LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.AeadSetTag, TagLength, expected) != 1) throw LibCrypto.Fail("EVP_CTRL_AEAD_SET_TAG");
        Span<byte> none = stackalloc byte[16];
        if (LibCrypto.EVP_DecryptFinal_ex(context, none, out _) == 1) return true;
        // The tag did not verify (libcrypto compares it in constant time): nothing of the forgery reaches the caller,
        // and the error libcrypto queued is not left for the next caller on this thread to find.
        LibCrypto.ERR_clear_error();
        plaintext[..ciphertext.Length].Clear();
        return false;
    }

    /// <summary>A one-direction key is re-keyed in its own context (EVP_*Init_ex2 with no cipher keeps the one it has).</summary>
    internal override bool TryRekey(ReadOnlySpan<byte> key)
    {
        if (_only is not { } sealing || _disposed) return false;
        CheckKey(Algorithm, key);
        if ((sealing ? _sealer : _opener) is not { } handle) return false;
        using var lease = new Lease(handle);
        var ok = sealing
            ? LibCrypto.EVP_EncryptInit_ex2(lease.Context, 0, key, default, 0)
            : LibCrypto.EVP_DecryptInit_ex2(lease.Context, 0, key, default, 0);
        if (ok != 1) throw LibCrypto.Fail(sealing ? "EVP_EncryptInit_ex2(rekey)" : "EVP_DecryptInit_ex2(rekey)");
        return true;
    }

    public override void Dispose()
    {
        // Before the key is cleared: a context made lazily after this would be keyed with zeros.
        _disposed = true;
        _sealer?.Dispose();
        _opener?.Dispose();
        if (_key is not null) Array.Clear(_key);
    }

    private CipherContextHandle NewContext(bool encrypt, ReadOnlySpan<byte> key)
    {
        var cipher = Algorithm switch
        {
            AeadAlgorithm.Aes128Gcm => Aes128.Value,
            AeadAlgorithm.Aes256Gcm => Aes256.Value,
            _ => ChaCha.Value,
        };
        var raw = LibCrypto.EVP_CIPHER_CTX_new();
        if (raw == 0) throw LibCrypto.Fail("EVP_CIPHER_CTX_new");
        var context = new CipherContextHandle(raw);
        // Both AEADs default to the 12-byte nonce TLS uses; the key schedule is computed here, once.
        var ok = encrypt
            ? LibCrypto.EVP_EncryptInit_ex2(raw, cipher, key, default, 0)
            : LibCrypto.EVP_DecryptInit_ex2(raw, cipher, key, default, 0);
        if (ok != 1)
        {
            context.Dispose();
            throw LibCrypto.Fail(encrypt ? "EVP_EncryptInit_ex2(key)" : "EVP_DecryptInit_ex2(key)");
        }
        if (_disposed)
        {
            // Disposed on another thread while this context was keyed: its key may already be zeros.
            context.Dispose();
            throw new ObjectDisposedException(nameof(NativeRecordAead));
        }
        if (_key is not null && (_sealer is not null || _opener is not null)) Array.Clear(_key);
        return context;
    }

    /// <summary>A reference on a context for the length of one record (DangerousAddRef throws once it is disposed).</summary>
    private ref struct Lease
    {
        private readonly CipherContextHandle _handle;
        private bool _held;

        public Lease(CipherContextHandle handle)
        {
            _handle = handle;
            handle.DangerousAddRef(ref _held);
        }

        public readonly nint Context => _handle.DangerousGetHandle();

        public void Dispose()
        {
            if (_held) _handle.DangerousRelease();
            _held = false;
        }
    }

    private static void CheckKey(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        var expected = algorithm == AeadAlgorithm.Aes128Gcm ? 16 : 32;
        if (key.Length != expected) throw TlsException.Internal($"{algorithm} takes a {expected}-byte key, not {key.Length}");
    }

    private static void CheckShapes(ReadOnlySpan<byte> nonce, int tagLength, int inputLength, int outputLength)
    {
        if (nonce.Length != NonceLength || tagLength != TagLength || outputLength != inputLength)
            throw TlsException.Internal($"AEAD call with a {nonce.Length}-byte nonce, a {tagLength}-byte tag, {inputLength} bytes in and {outputLength} out");
    }

    private static nint Fetch(string name) =>
        LibCrypto.EVP_CIPHER_fetch(0, name, null) is var cipher and not 0 ? cipher : throw LibCrypto.Fail($"EVP_CIPHER_fetch({name})");
}
