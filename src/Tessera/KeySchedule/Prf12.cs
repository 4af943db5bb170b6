using System.Security.Cryptography;
using System.Text;

namespace Tessera.KeySchedule;

/// <summary>
/// The TLS 1.2 PRF (RFC 5246 §5): P_hash with HMAC over the suite's hash, and the secrets built from it —
/// master secret (extended, RFC 7627, or classic), key block, Finished and exporters (RFC 5705).
/// </summary>
internal static class Prf12
{
    public const int MasterSecretLength = 48;
    public const int VerifyDataLength = 12;

    /// <summary>PRF(secret, label, seed) = P_hash(secret, label + seed), <paramref name="output"/>.Length bytes.</summary>
    public static void Compute(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        var labelBytes = Encoding.ASCII.GetBytes(label);
        var fullSeed = new byte[labelBytes.Length + seed.Length];
        labelBytes.CopyTo(fullSeed, 0);
        seed.CopyTo(fullSeed.AsSpan(labelBytes.Length));

        using var hmac = IncrementalHash.CreateHMAC(hash, secret);
        var hashLength = hmac.HashLengthInBytes;
        Span<byte> a = stackalloc byte[hashLength];
        Span<byte> block = stackalloc byte[hashLength];
        // A(1) = HMAC(secret, seed); A(i) = HMAC(secret, A(i-1)); output = HMAC(secret, A(i) + seed) ...
        hmac.AppendData(fullSeed);
        hmac.GetHashAndReset(a);
        var written = 0;
        while (written < output.Length)
        {
            hmac.AppendData(a);
            hmac.AppendData(fullSeed);
            hmac.GetHashAndReset(block);
            var n = Math.Min(hashLength, output.Length - written);
            block[..n].CopyTo(output[written..]);
            written += n;
            hmac.AppendData(a);
            hmac.GetHashAndReset(a);
        }
        CryptographicOperations.ZeroMemory(a);
        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash).</summary>
    public static byte[] ExtendedMasterSecret(HashAlgorithmName hash, ReadOnlySpan<byte> preMasterSecret, ReadOnlySpan<byte> sessionHash)
    {
        var master = new byte[MasterSecretLength];
        Compute(hash, preMasterSecret, "extended master secret", sessionHash, master);
        return master;
    }

    /// <summary>RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret", client_random + server_random).</summary>
    public static byte[] MasterSecret(HashAlgorithmName hash, ReadOnlySpan<byte> preMasterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        var master = new byte[MasterSecretLength];
        Compute(hash, preMasterSecret, "master secret", Concat(clientRandom, serverRandom), master);
        return master;
    }

    /// <summary>RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random).</summary>
    public static byte[] KeyBlock(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, int length)
    {
        var block = new byte[length];
        Compute(hash, masterSecret, "key expansion", Concat(serverRandom, clientRandom), block);
        return block;
    }

    /// <summary>RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11].</summary>
    public static byte[] VerifyData(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret, bool client, ReadOnlySpan<byte> transcriptHash)
    {
        var data = new byte[VerifyDataLength];
        Compute(hash, masterSecret, client ? "client finished" : "server finished", transcriptHash, data);
        return data;
    }

    /// <summary>RFC 5705 §4: PRF(master_secret, label, client_random + server_random [+ context_length + context]).</summary>
    public static byte[] Export(HashAlgorithmName hash, ReadOnlySpan<byte> masterSecret, string label, ReadOnlySpan<byte> clientRandom,
        ReadOnlySpan<byte> serverRandom, ReadOnlySpan<byte> context, bool hasContext, int length)
    {
        if (context.Length > ushort.MaxValue) throw new ArgumentException("exporter context is at most 65535 bytes", nameof(context));
        var seed = new byte[64 + (hasContext ? 2 + context.Length : 0)];
        clientRandom.CopyTo(seed);
        serverRandom.CopyTo(seed.AsSpan(32));
        if (hasContext)
        {
            seed[64] = (byte)(context.Length >> 8);
            seed[65] = (byte)context.Length;
            context.CopyTo(seed.AsSpan(66));
        }
        var output = new byte[length];
        Compute(hash, masterSecret, label, seed, output);
        return output;
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r);
        b.CopyTo(r.AsSpan(a.Length));
        return r;
    }
}
