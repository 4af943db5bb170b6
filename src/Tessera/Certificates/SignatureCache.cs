using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tessera.Certificates;

/// <summary>
/// Remembers which (certificate, issuer key) signatures have verified, so a client that meets the same chain
/// again — the common case — skips the public-key operations. Only successes are kept, keyed by the SHA-256 of
/// the exact certificate bytes and of the issuer's SubjectPublicKeyInfo, so a hit proves the same fact again.
/// Bounded: cleared when full rather than tracking recency (cheap, and the working set is small).
/// </summary>
internal static class SignatureCache
{
    private const int Capacity = 4096;
    private static readonly ConcurrentDictionary<(Hash Certificate, Hash IssuerKey), bool> Verified = new();

    public static bool Contains(ParsedCertificate certificate, ParsedCertificate issuer) =>
        Verified.ContainsKey((new Hash(certificate.Fingerprint), new Hash(issuer.KeyFingerprint)));

    /// <summary>Forgets everything (benchmarks measure first contact with it).</summary>
    public static void Clear() => Verified.Clear();

    public static void Add(ParsedCertificate certificate, ParsedCertificate issuer)
    {
        if (Verified.Count >= Capacity) Verified.Clear();
        Verified.TryAdd((new Hash(certificate.Fingerprint), new Hash(issuer.KeyFingerprint)), true);
    }

    /// <summary>A SHA-256 value as four longs, so the key needs no allocation to compare or hash.</summary>
    private readonly record struct Hash(long A, long B, long C, long D)
    {
        public Hash(byte[] sha256) : this(BitConverter.ToInt64(sha256, 0), BitConverter.ToInt64(sha256, 8), BitConverter.ToInt64(sha256, 16), BitConverter.ToInt64(sha256, 24))
        {
            if (sha256.Length != SHA256.HashSizeInBytes) throw new ArgumentException("expected a SHA-256 value", nameof(sha256));
        }
    }
}
