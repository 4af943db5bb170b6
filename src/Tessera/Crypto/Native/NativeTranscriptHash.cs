using System.Security.Cryptography;

namespace Tessera.Crypto.Native;

/// <summary>
/// A transcript hash in an <c>EVP_MD_CTX</c> with the digest fetched once per process. Reading the hash so far copies
/// the running context into a scratch context this object keeps (no allocation, no fetch) and finishes that copy.
/// </summary>
internal sealed class NativeTranscriptHash : TranscriptHash
{
    private static readonly Lazy<nint> Sha256 = new(() => Fetch("SHA256"));
    private static readonly Lazy<nint> Sha384 = new(() => Fetch("SHA384"));
    private static readonly Lazy<nint> Sha512 = new(() => Fetch("SHA512"));

    private readonly DigestContextHandle _running;
    private DigestContextHandle? _scratch;

    private NativeTranscriptHash(HashAlgorithmName algorithm, DigestContextHandle running)
    {
        Algorithm = algorithm;
        _running = running;
    }

    public static NativeTranscriptHash Create(HashAlgorithmName algorithm)
    {
        var digest = algorithm == HashAlgorithmName.SHA256 ? Sha256.Value
            : algorithm == HashAlgorithmName.SHA384 ? Sha384.Value
            : algorithm == HashAlgorithmName.SHA512 ? Sha512.Value
            : throw TlsException.Internal($"no transcript hash {algorithm.Name}");
        var context = DigestContextHandle.New();
        if (LibCrypto.EVP_DigestInit_ex2(context.DangerousGetHandle(), digest, 0) != 1)
        {
            context.Dispose();
            throw LibCrypto.Fail("EVP_DigestInit_ex2");
        }
        return new NativeTranscriptHash(algorithm, context);
    }

    public override HashAlgorithmName Algorithm { get; }

    public override void Append(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty && LibCrypto.EVP_DigestUpdate(_running.DangerousGetHandle(), data, (nuint)data.Length) != 1)
            throw LibCrypto.Fail("EVP_DigestUpdate");
    }

    public override void GetCurrentHash(Span<byte> output)
    {
        if (output.Length != Length) throw TlsException.Internal($"a {Algorithm.Name} transcript hash is {Length} bytes, not {output.Length}");
        var scratch = (_scratch ??= DigestContextHandle.New()).DangerousGetHandle();
        if (LibCrypto.EVP_MD_CTX_copy_ex(scratch, _running.DangerousGetHandle()) != 1) throw LibCrypto.Fail("EVP_MD_CTX_copy_ex");
        if (LibCrypto.EVP_DigestFinal_ex(scratch, output, out var written) != 1 || written != (uint)Length)
            throw LibCrypto.Fail("EVP_DigestFinal_ex");
    }

    public override TranscriptHash Clone()
    {
        var copy = DigestContextHandle.New();
        if (LibCrypto.EVP_MD_CTX_copy_ex(copy.DangerousGetHandle(), _running.DangerousGetHandle()) != 1)
        {
            copy.Dispose();
            throw LibCrypto.Fail("EVP_MD_CTX_copy_ex");
        }
        return new NativeTranscriptHash(Algorithm, copy);
    }

    public override void Dispose()
    {
        _running.Dispose();
        _scratch?.Dispose();
    }

    private static nint Fetch(string name) =>
        LibCrypto.EVP_MD_fetch(0, name, null) is var digest and not 0 ? digest : throw LibCrypto.Fail($"EVP_MD_fetch({name})");
}
