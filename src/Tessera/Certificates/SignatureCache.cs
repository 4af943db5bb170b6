using System.Collections.Concurrent;
using Tessera.Crypto;

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
    private static readonly ConcurrentDictionary<(Sha256Key Certificate, Sha256Key IssuerKey), bool> Verified = new();

    public static bool Contains(ParsedCertificate certificate, ParsedCertificate issuer) =>
        Verified.ContainsKey((Sha256Key.FromHash(certificate.Fingerprint), Sha256Key.FromHash(issuer.KeyFingerprint)));

    /// <summary>Forgets everything (benchmarks measure first contact with it).</summary>
    public static void Clear() => Verified.Clear();

    public static void Add(ParsedCertificate certificate, ParsedCertificate issuer)
    {
        if (Verified.Count >= Capacity) Verified.Clear();
        Verified.TryAdd((Sha256Key.FromHash(certificate.Fingerprint), Sha256Key.FromHash(issuer.KeyFingerprint)), true);
    }
}
