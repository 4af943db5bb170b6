using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tessera.Crypto;

namespace Tessera.Certificates;

/// <summary>
/// Parsed peer certificates by the SHA-256 of their DER, so a client that meets the same chain again (the common case)
/// parses nothing — as Go's crypto/tls shares parsed certificates between connections. A hit means identical bytes, so
/// the verifier still checks every rule against the parse for each connection; only the decoding is reused.
/// Malformed certificates are never cached. Bounded: cleared when full rather than tracking recency.
/// </summary>
internal static class ParsedCertificateCache
{
    private const int Capacity = 1024;
    private static readonly ConcurrentDictionary<Sha256Key, ParsedCertificate> Parsed = new();

    /// <summary>
    /// The cached parse of exactly these bytes, or null: a client reading a chain it has met before keeps the cache's
    /// DER array instead of copying the message's (the array is never written: chains hand it out read-only).
    /// Nothing is parsed here, so a certificate only a custom verifier would accept is still not parsed eagerly.
    /// </summary>
    public static ParsedCertificate? Find(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(der, hash);
        return Parsed.TryGetValue(Sha256Key.FromHash(hash), out var hit) && der.SequenceEqual(hit.Der) ? hit : null;
    }

    public static ParsedCertificate Get(byte[] der)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(der, hash);
        var key = Sha256Key.FromHash(hash);
        if (Parsed.TryGetValue(key, out var hit)) return hit;
        // The cached parse keeps its own copy: it outlives this connection, and a caller's array could change later.
        var parsed = ParsedCertificate.Parse(der.ToArray());
        parsed.SetFingerprint(hash.ToArray());
        if (Parsed.Count >= Capacity) Parsed.Clear();
        return Parsed.GetOrAdd(key, parsed);
    }

    /// <summary>Forgets everything (benchmarks measure first contact with it).</summary>
    public static void Clear() => Parsed.Clear();
}
