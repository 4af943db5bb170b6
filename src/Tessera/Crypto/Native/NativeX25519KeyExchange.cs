using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto.Native;

/// <summary>
/// X25519 (RFC 7748) through libcrypto: the private key is the injected random's 32 bytes
/// (<c>EVP_PKEY_new_raw_private_key</c>), the agreement <c>EVP_PKEY_derive</c>. The same rules as the portable
/// implementation: a share of the wrong length, and a low-order point (all-zero result, which OpenSSL also refuses),
/// are <c>illegal_parameter</c> (RFC 8446 §4.2.8.1, §7.4.2, RFC 7748 §6).
/// </summary>
internal sealed class NativeX25519KeyExchange : KeyExchange
{
    private const int KeySize = 32;
    private readonly EvpPkeyHandle _key;

    private NativeX25519KeyExchange(EvpPkeyHandle key, byte[] publicKey)
    {
        _key = key;
        PublicKey = publicKey;
    }

    public override NamedGroup Group => NamedGroup.X25519;

    public override byte[] PublicKey { get; }

    public static NativeX25519KeyExchange Create(RandomNumberGenerator? random)
    {
        Span<byte> secret = stackalloc byte[KeySize];
        TlsRandom.Fill(random, secret);
        var raw = LibCrypto.EVP_PKEY_new_raw_private_key(LibCrypto.X25519, 0, secret, KeySize);
        CryptographicOperations.ZeroMemory(secret);
        if (raw == 0) throw LibCrypto.Fail("EVP_PKEY_new_raw_private_key(X25519)");
        var key = new EvpPkeyHandle(raw);
        var publicKey = new byte[KeySize];
        nuint length = KeySize;
        if (LibCrypto.EVP_PKEY_get_raw_public_key(raw, publicKey, ref length) != 1 || length != KeySize)
        {
            key.Dispose();
            throw LibCrypto.Fail("EVP_PKEY_get_raw_public_key(X25519)");
        }
        return new NativeX25519KeyExchange(key, publicKey);
    }

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeySize)
            throw TlsException.Illegal($"X25519 key share is {peerPublicKey.Length} bytes; expected {KeySize}");
        var peerRaw = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.X25519, 0, peerPublicKey, KeySize);
        if (peerRaw == 0) throw LibCrypto.Fail("EVP_PKEY_new_raw_public_key(X25519)");
        using var peer = new EvpPkeyHandle(peerRaw);
        var added = false;
        _key.DangerousAddRef(ref added);
        var context = LibCrypto.EVP_PKEY_CTX_new(_key.DangerousGetHandle(), 0);
        try
        {
            if (context == 0) throw LibCrypto.Fail("EVP_PKEY_CTX_new");
            if (LibCrypto.EVP_PKEY_derive_init(context) != 1) throw LibCrypto.Fail("EVP_PKEY_derive_init");
            if (LibCrypto.EVP_PKEY_derive_set_peer(context, peerRaw) != 1) throw LibCrypto.Fail("EVP_PKEY_derive_set_peer");
            var secret = new byte[KeySize];
            nuint length = KeySize;
            if (LibCrypto.EVP_PKEY_derive(context, secret, ref length) != 1)
            {
                // OpenSSL's X25519 fails exactly when the result is all zeros: the peer sent a low-order point.
                LibCrypto.ERR_clear_error();
                throw TlsException.Illegal("X25519 key share is a low-order point (all-zero shared secret)");
            }
            if (length != KeySize) throw TlsException.Internal($"libcrypto X25519 returned {length} bytes");
            // Checked here as well, so the rule does not rest on the library's.
            if (CryptographicOperations.FixedTimeEquals(secret, new byte[KeySize]))
                throw TlsException.Illegal("X25519 key share is a low-order point (all-zero shared secret)");
            return secret;
        }
        finally
        {
            if (context != 0) LibCrypto.EVP_PKEY_CTX_free(context);
            if (added) _key.DangerousRelease();
        }
    }

    public override void Dispose() => _key.Dispose();
}
