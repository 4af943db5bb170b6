using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>
/// The OpenSSL 3 libcrypto functions the native provider calls, bound with source-generated P/Invoke
/// (<c>LibraryImport</c>: spans are pinned, not copied). Every caller checks the return value; a failure becomes a
/// <see cref="TlsException"/> (<see cref="Fail"/>), never a silently wrong result.
/// </summary>
internal static partial class LibCrypto
{
    /// <summary>The soname of OpenSSL 3's libcrypto on Linux (the library .NET itself uses there).</summary>
    public const string Library = "libcrypto.so.3";

    /// <summary>EVP_PKEY_X25519 (NID_X25519).</summary>
    public const int X25519 = 1034;

    [LibraryImport(Library)]
    public static partial ulong OpenSSL_version_num();

    [LibraryImport(Library)]
    public static partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(Library)]
    public static partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_get_raw_public_key(nint key, Span<byte> publicKey, ref nuint length);

    [LibraryImport(Library)]
    public static partial void EVP_PKEY_free(nint key);

    [LibraryImport(Library)]
    public static partial nint EVP_PKEY_CTX_new(nint key, nint engine);

    [LibraryImport(Library)]
    public static partial void EVP_PKEY_CTX_free(nint context);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_derive_init(nint context);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_derive_set_peer(nint context, nint peer);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_derive(nint context, Span<byte> secret, ref nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint EVP_MAC_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    public static partial nint EVP_MAC_CTX_new(nint mac);

    [LibraryImport(Library)]
    public static partial nint EVP_MAC_CTX_dup(nint context);

    [LibraryImport(Library)]
    public static partial void EVP_MAC_CTX_free(nint context);

    [LibraryImport(Library)]
    public static partial int EVP_MAC_CTX_set_params(nint context, ReadOnlySpan<OsslParam> parameters);

    [LibraryImport(Library)]
    public static partial int EVP_MAC_init(nint context, ReadOnlySpan<byte> key, nuint keyLength, nint parameters);

    [LibraryImport(Library)]
    public static partial int EVP_MAC_update(nint context, ReadOnlySpan<byte> data, nuint length);

    [LibraryImport(Library)]
    public static partial int EVP_MAC_final(nint context, Span<byte> output, out nuint written, nuint size);

    // EC through the EC_KEY functions (deprecated for new C code in OpenSSL 3, still exported): they reach the curve
    // implementations directly, without the per-call provider fetch the EVP_PKEY paths do.

    /// <summary>NID_X9_62_prime256v1 (P-256).</summary>
    public const int NidP256 = 415;

    /// <summary>NID_secp384r1 (P-384).</summary>
    public const int NidP384 = 715;

    /// <summary>NID_secp521r1 (P-521).</summary>
    public const int NidP521 = 716;

    /// <summary>POINT_CONVERSION_UNCOMPRESSED.</summary>
    public const int PointConversionUncompressed = 4;

    [LibraryImport(Library)]
    public static partial nint EC_KEY_new_by_curve_name(int nid);

    [LibraryImport(Library)]
    public static partial void EC_KEY_free(nint key);

    [LibraryImport(Library)]
    public static partial nint EC_KEY_get0_group(nint key);

    [LibraryImport(Library)]
    public static partial int EC_KEY_set_private_key(nint key, nint scalar);

    [LibraryImport(Library)]
    public static partial int EC_KEY_set_public_key(nint key, nint point);

    [LibraryImport(Library)]
    public static partial nint EC_POINT_new(nint group);

    [LibraryImport(Library)]
    public static partial void EC_POINT_free(nint point);

    [LibraryImport(Library)]
    public static partial int EC_POINT_mul(nint group, nint result, nint generatorScalar, nint point, nint pointScalar, nint bnContext);

    [LibraryImport(Library)]
    public static partial nuint EC_POINT_point2oct(nint group, nint point, int form, Span<byte> buffer, nuint length, nint bnContext);

    [LibraryImport(Library)]
    public static partial int EC_POINT_oct2point(nint group, nint point, ReadOnlySpan<byte> buffer, nuint length, nint bnContext);

    [LibraryImport(Library)]
    public static partial int EC_POINT_is_on_curve(nint group, nint point, nint bnContext);

    [LibraryImport(Library)]
    public static partial int EC_POINT_is_at_infinity(nint group, nint point);

    [LibraryImport(Library)]
    public static partial int ECDH_compute_key(Span<byte> output, nuint length, nint peerPoint, nint key, nint kdf);

    [LibraryImport(Library)]
    public static partial int EC_KEY_oct2key(nint key, ReadOnlySpan<byte> buffer, nuint length, nint bnContext);

    [LibraryImport(Library)]
    public static partial int EC_KEY_oct2priv(nint key, ReadOnlySpan<byte> buffer, nuint length);

    [LibraryImport(Library)]
    public static partial int ECDSA_size(nint key);

    [LibraryImport(Library)]
    public static partial int ECDSA_sign(int type, ReadOnlySpan<byte> digest, int digestLength, Span<byte> signature, ref uint signatureLength, nint key);

    [LibraryImport(Library)]
    public static partial int ECDSA_verify(int type, ReadOnlySpan<byte> digest, int digestLength, ReadOnlySpan<byte> signature, int signatureLength, nint key);

    [LibraryImport(Library)]
    public static partial nint BN_bin2bn(ReadOnlySpan<byte> bytes, int length, nint result);

    [LibraryImport(Library)]
    public static partial void BN_clear_free(nint number);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint EVP_CIPHER_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    public static partial nint EVP_CIPHER_CTX_new();

    [LibraryImport(Library)]
    public static partial void EVP_CIPHER_CTX_free(nint context);

    [LibraryImport(Library)]
    public static partial int EVP_EncryptInit_ex2(nint context, nint cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, nint parameters);

    [LibraryImport(Library)]
    public static partial int EVP_DecryptInit_ex2(nint context, nint cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, nint parameters);

    /// <summary>With a null <paramref name="output"/> (an empty span) the input is additional authenticated data.</summary>
    [LibraryImport(Library)]
    public static partial int EVP_EncryptUpdate(nint context, Span<byte> output, out int written, ReadOnlySpan<byte> input, int length);

    [LibraryImport(Library)]
    public static partial int EVP_DecryptUpdate(nint context, Span<byte> output, out int written, ReadOnlySpan<byte> input, int length);

    [LibraryImport(Library)]
    public static partial int EVP_EncryptFinal_ex(nint context, Span<byte> output, out int written);

    /// <summary>Returns 1 only when the tag set before it verifies.</summary>
    [LibraryImport(Library)]
    public static partial int EVP_DecryptFinal_ex(nint context, Span<byte> output, out int written);

    [LibraryImport(Library)]
    public static partial int EVP_CIPHER_CTX_ctrl(nint context, int type, int argument, Span<byte> pointer);

    /// <summary>EVP_CTRL_AEAD_GET_TAG and EVP_CTRL_AEAD_SET_TAG (the same values for GCM and ChaCha20-Poly1305).</summary>
    public const int AeadGetTag = 0x10, AeadSetTag = 0x11;

    /// <summary>EVP_PKEY_ED25519 (NID_ED25519).</summary>
    public const int Ed25519 = 1087;

    /// <summary>EVP_PKEY_RSA (NID_rsaEncryption).</summary>
    public const int Rsa = 6;

    /// <summary>RSA_PKCS1_PADDING and RSA_PKCS1_PSS_PADDING.</summary>
    public const int RsaPkcs1Padding = 1, RsaPssPadding = 6;

    /// <summary>RSA_PSS_SALTLEN_DIGEST: the salt is as long as the digest (RFC 8446 §4.2.3), in signing and checking.</summary>
    public const int RsaPssSaltLengthIsDigest = -1;

    [LibraryImport(Library)]
    public static partial nint EVP_MD_CTX_new();

    [LibraryImport(Library)]
    public static partial void EVP_MD_CTX_free(nint context);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int EVP_DigestSignInit_ex(nint context, out nint keyContext, string? digest, nint libraryContext, string? properties, nint key, nint parameters);

    [LibraryImport(Library)]
    public static partial int EVP_DigestSign(nint context, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> data, nuint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int EVP_DigestVerifyInit_ex(nint context, out nint keyContext, string? digest, nint libraryContext, string? properties, nint key, nint parameters);

    /// <summary>1: the signature verifies; 0: it does not; negative: it could not be checked (malformed).</summary>
    [LibraryImport(Library)]
    public static partial int EVP_DigestVerify(nint context, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> data, nuint length);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_CTX_set_rsa_padding(nint keyContext, int padding);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_CTX_set_rsa_pss_saltlen(nint keyContext, int saltLength);

    [LibraryImport(Library)]
    public static partial int EVP_PKEY_get_size(nint key);

    /// <summary>Reads a DER SubjectPublicKeyInfo; <paramref name="cursor"/> advances past what was read.</summary>
    [LibraryImport(Library)]
    public static partial nint d2i_PUBKEY(nint reuse, ref nint cursor, nint length);

    /// <summary>Reads a DER private key of <paramref name="type"/> (for RSA, PKCS#1 RSAPrivateKey).</summary>
    [LibraryImport(Library)]
    public static partial nint d2i_PrivateKey(int type, nint reuse, ref nint cursor, nint length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint EVP_MD_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    public static partial int EVP_DigestInit_ex2(nint context, nint digest, nint parameters);

    [LibraryImport(Library)]
    public static partial int EVP_DigestUpdate(nint context, ReadOnlySpan<byte> data, nuint length);

    [LibraryImport(Library)]
    public static partial int EVP_DigestFinal_ex(nint context, Span<byte> digest, out uint length);

    [LibraryImport(Library)]
    public static partial int EVP_MD_CTX_copy_ex(nint destination, nint source);

    [LibraryImport(Library)]
    public static partial ulong ERR_get_error();

    [LibraryImport(Library)]
    public static partial void ERR_clear_error();

    /// <summary>A TlsException (internal_error) naming the call that failed and OpenSSL's first queued error code; the queue is cleared.</summary>
    public static TlsException Fail(string call)
    {
        var code = ERR_get_error();
        ERR_clear_error();
        return TlsException.Internal($"libcrypto {call} failed (error 0x{code:x})");
    }
}
