using Tessera.Wire;

namespace Tessera.Crypto.Native;

/// <summary>
/// An RSA or Ed25519 key held by libcrypto as an <c>EVP_PKEY</c>, imported once and then signing or verifying through
/// the one-shot <c>EVP_DigestSign</c>/<c>EVP_DigestVerify</c> (RSA with the scheme's digest and PKCS#1 v1.5 or PSS
/// padding, salt as long as the digest; Ed25519 pure, RFC 8032, for signing only: see NativeCryptoProvider). Each call uses its own <c>EVP_MD_CTX</c>, so one
/// instance serves every connection at once.
/// </summary>
internal sealed class NativeSignatureKey : IDisposable
{
    private readonly EvpPkeyHandle _key;
    private readonly bool _ed25519;

    private NativeSignatureKey(EvpPkeyHandle key, bool ed25519)
    {
        _key = key;
        _ed25519 = ed25519;
    }

    /// <summary>An Ed25519 signing key from its 32-byte seed.</summary>
    public static NativeSignatureKey Ed25519Private(ReadOnlySpan<byte> seed) =>
        new(Own(LibCrypto.EVP_PKEY_new_raw_private_key(LibCrypto.Ed25519, 0, seed, (nuint)seed.Length), "EVP_PKEY_new_raw_private_key(Ed25519)"), true);

    /// <summary>An RSA signing key from its PKCS#1 RSAPrivateKey DER.</summary>
    public static unsafe NativeSignatureKey RsaPrivate(ReadOnlySpan<byte> pkcs1)
    {
        fixed (byte* start = pkcs1)
        {
            var cursor = (nint)start;
            return new(Own(LibCrypto.d2i_PrivateKey(LibCrypto.Rsa, 0, ref cursor, pkcs1.Length), "d2i_PrivateKey(RSA)"), false);
        }
    }

    /// <summary>An RSA public key from its DER SubjectPublicKeyInfo (rsaEncryption).</summary>
    public static unsafe NativeSignatureKey RsaPublic(ReadOnlySpan<byte> spki)
    {
        fixed (byte* start = spki)
        {
            var cursor = (nint)start;
            return new(Own(LibCrypto.d2i_PUBKEY(0, ref cursor, spki.Length), "d2i_PUBKEY"), false);
        }
    }

    public byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        var context = NewContext();
        try
        {
            if (LibCrypto.EVP_DigestSignInit_ex(context, out var keyContext, Digest(scheme), 0, null, _key.DangerousGetHandle(), 0) != 1)
                throw LibCrypto.Fail("EVP_DigestSignInit_ex");
            SetPadding(keyContext, scheme);
            var length = (nuint)LibCrypto.EVP_PKEY_get_size(_key.DangerousGetHandle());
            if (length == 0) throw LibCrypto.Fail("EVP_PKEY_get_size");
            var signature = new byte[length];
            if (LibCrypto.EVP_DigestSign(context, signature, ref length, data, (nuint)data.Length) != 1) throw LibCrypto.Fail("EVP_DigestSign");
            return length == (nuint)signature.Length ? signature : signature[..(int)length];
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(context);
        }
    }

    /// <summary>False for a wrong or malformed signature, never an exception.</summary>
    public bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var context = NewContext();
        try
        {
            if (LibCrypto.EVP_DigestVerifyInit_ex(context, out var keyContext, Digest(scheme), 0, null, _key.DangerousGetHandle(), 0) != 1)
                throw LibCrypto.Fail("EVP_DigestVerifyInit_ex");
            SetPadding(keyContext, scheme);
            if (LibCrypto.EVP_DigestVerify(context, signature, (nuint)signature.Length, data, (nuint)data.Length) == 1) return true;
            // A bad signature queues an error; it is the answer, not a failure, and is not left for the next caller.
            LibCrypto.ERR_clear_error();
            return false;
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(context);
        }
    }

    public void Dispose() => _key.Dispose();

    private string? Digest(SignatureScheme scheme)
    {
        if (_ed25519)
        {
            if (scheme != SignatureScheme.Ed25519) throw TlsException.Internal($"an Ed25519 key cannot use {TlsNames.Of(scheme)}");
            return null;   // pure Ed25519 hashes internally
        }
        var hash = SignatureSchemes.HashOf(scheme);
        return hash == System.Security.Cryptography.HashAlgorithmName.SHA256 ? "SHA256"
            : hash == System.Security.Cryptography.HashAlgorithmName.SHA384 ? "SHA384"
            : hash == System.Security.Cryptography.HashAlgorithmName.SHA512 ? "SHA512"
            : throw TlsException.Internal($"no digest for {TlsNames.Of(scheme)}");
    }

    private void SetPadding(nint keyContext, SignatureScheme scheme)
    {
        if (_ed25519) return;
        if (SignatureSchemes.IsPss(scheme))
        {
            if (LibCrypto.EVP_PKEY_CTX_set_rsa_padding(keyContext, LibCrypto.RsaPssPadding) != 1) throw LibCrypto.Fail("EVP_PKEY_CTX_set_rsa_padding(PSS)");
            if (LibCrypto.EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, LibCrypto.RsaPssSaltLengthIsDigest) != 1)
                throw LibCrypto.Fail("EVP_PKEY_CTX_set_rsa_pss_saltlen");
        }
        else if (LibCrypto.EVP_PKEY_CTX_set_rsa_padding(keyContext, LibCrypto.RsaPkcs1Padding) != 1)
        {
            throw LibCrypto.Fail("EVP_PKEY_CTX_set_rsa_padding(PKCS1)");
        }
    }

    private static nint NewContext() =>
        LibCrypto.EVP_MD_CTX_new() is var context and not 0 ? context : throw LibCrypto.Fail("EVP_MD_CTX_new");

    private static EvpPkeyHandle Own(nint key, string call) => key != 0 ? new EvpPkeyHandle(key) : throw LibCrypto.Fail(call);
}
