using System.Security.Cryptography;

namespace Tessera.Crypto.Native;

/// <summary>
/// HMAC through libcrypto's EVP_MAC with the algorithm fetched once and one template context per hash, its digest
/// set once, so no call fetches (OpenSSL 3's fetch-per-call cost is what the .NET wrappers pay). Each thread keeps its
/// own copy of the template per hash and re-keys it for every computation (EVP_MAC_init may be called again on a used
/// context), which saves the allocation and copying a duplicate per call costs. After each computation the context is
/// re-keyed with a constant, so no key-derived state stays behind in it. HKDF (RFC 5869) is built on it here.
/// </summary>
internal static class NativeHmac
{
    [ThreadStatic]
    private static ThreadContexts? t_contexts;

    /// <summary>A thread's contexts, freed by the finalizer once the thread (and so this object) is gone.</summary>
    private sealed class ThreadContexts
    {
        public readonly nint[] ByHash = new nint[3];

        ~ThreadContexts()
        {
            foreach (var context in ByHash)
                if (context != 0) LibCrypto.EVP_MAC_CTX_free(context);
        }
    }

    private static readonly Lazy<nint> Mac = new(() =>
        LibCrypto.EVP_MAC_fetch(0, "HMAC", null) is var mac and not 0 ? mac : throw LibCrypto.Fail("EVP_MAC_fetch(HMAC)"));
    private static readonly Lazy<nint> Sha256 = new(() => Template("SHA256"));
    private static readonly Lazy<nint> Sha384 = new(() => Template("SHA384"));
    private static readonly Lazy<nint> Sha512 = new(() => Template("SHA512"));

    public static int Length(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 32;

    /// <summary>HMAC(key, a ‖ b ‖ c) into <paramref name="output"/> (exactly the hash's length).</summary>
    public static void Compute(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        var length = Length(hash);
        if (output.Length != length) throw new ArgumentException($"HMAC output is {length} bytes", nameof(output));
        var contexts = t_contexts ??= new ThreadContexts();
        var slot = hash == HashAlgorithmName.SHA384 ? 1 : hash == HashAlgorithmName.SHA512 ? 2 : 0;
        var context = contexts.ByHash[slot];
        if (context == 0)
        {
            context = LibCrypto.EVP_MAC_CTX_dup(TemplateFor(hash));
            if (context == 0) throw LibCrypto.Fail("EVP_MAC_CTX_dup");
            contexts.ByHash[slot] = context;
        }
        var ok = false;
        try
        {
            // An empty key would mean "keep the previous key" to EVP_MAC_init; HMAC pads keys with zeros to the block
            // size, so one zero byte is the same key as none (RFC 2104 §2).
            ReadOnlySpan<byte> zero = [0];
            var k = key.IsEmpty ? zero : key;
            if (LibCrypto.EVP_MAC_init(context, k, (nuint)k.Length, 0) != 1) throw LibCrypto.Fail("EVP_MAC_init");
            if (!a.IsEmpty && LibCrypto.EVP_MAC_update(context, a, (nuint)a.Length) != 1) throw LibCrypto.Fail("EVP_MAC_update");
            if (!b.IsEmpty && LibCrypto.EVP_MAC_update(context, b, (nuint)b.Length) != 1) throw LibCrypto.Fail("EVP_MAC_update");
            if (!c.IsEmpty && LibCrypto.EVP_MAC_update(context, c, (nuint)c.Length) != 1) throw LibCrypto.Fail("EVP_MAC_update");
            if (LibCrypto.EVP_MAC_final(context, output, out var written, (nuint)output.Length) != 1 || written != (nuint)length)
                throw LibCrypto.Fail("EVP_MAC_final");
            // Overwrites the key-derived inner and outer states in place.
            if (LibCrypto.EVP_MAC_init(context, zero, 1, 0) != 1) throw LibCrypto.Fail("EVP_MAC_init");
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                // A context that failed part-way is not reused (and freeing it clears it).
                contexts.ByHash[slot] = 0;
                LibCrypto.EVP_MAC_CTX_free(context);
            }
        }
    }

    /// <summary>RFC 5869 §2.2: PRK = HMAC(salt, IKM), a salt of HashLen zeros when none is given.</summary>
    public static void Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        Span<byte> zeros = stackalloc byte[Length(hash)];
        zeros.Clear();
        Compute(hash, salt.IsEmpty ? zeros : salt, ikm, [], [], prk);
    }

    /// <summary>RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), output = the first L bytes of T(1) ‖ T(2) ‖ …</summary>
    public static void Expand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        var length = Length(hash);
        if (output.Length > 255 * length) throw new ArgumentException("HKDF-Expand output longer than 255 blocks", nameof(output));
        Span<byte> block = stackalloc byte[length];
        Span<byte> counter = stackalloc byte[1];
        var previous = 0;
        try
        {
            for (var at = 0; at < output.Length; at += length)
            {
                counter[0]++;
                Compute(hash, prk, block[..previous], info, counter, block);
                previous = length;
                block[..Math.Min(length, output.Length - at)].CopyTo(output[at..]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    private static nint TemplateFor(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? Sha384.Value : hash == HashAlgorithmName.SHA512 ? Sha512.Value : Sha256.Value;

    private static nint Template(string digest)
    {
        var context = LibCrypto.EVP_MAC_CTX_new(Mac.Value);
        if (context == 0) throw LibCrypto.Fail("EVP_MAC_CTX_new");
        ReadOnlySpan<OsslParam> parameters = [OsslParam.Utf8("digest", digest), default];
        if (LibCrypto.EVP_MAC_CTX_set_params(context, parameters) != 1) throw LibCrypto.Fail($"EVP_MAC_CTX_set_params(digest={digest})");
        return context;
    }
}
