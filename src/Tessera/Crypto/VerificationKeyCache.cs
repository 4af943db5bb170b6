using System.Collections.Concurrent;

namespace Tessera.Crypto;

/// <summary>
/// Imported public keys by SubjectPublicKeyInfo, so a client that meets the same server key again (and a path builder
/// that meets the same issuer) skips OpenSSL's key import, which costs ≈ 100 µs. Each key is lent to one caller at a
/// time; concurrent callers with the same key get another instance (at most <see cref="InstancesPerKey"/> are kept).
/// Bounded: cleared when full rather than tracking recency, as <see cref="Certificates.SignatureCache"/> is.
/// </summary>
internal static class VerificationKeyCache
{
    private const int Capacity = 1024;
    private static readonly int InstancesPerKey = Math.Max(2, Environment.ProcessorCount);
    private static readonly ConcurrentDictionary<Sha256Key, ConcurrentBag<VerificationKey>> Idle = new();

    /// <summary>A key for <paramref name="spki"/>; give it back with <see cref="Return"/> when done.</summary>
    public static VerificationKey Rent(ReadOnlySpan<byte> spki) => Rent(spki, null);

    /// <summary>As <see cref="Rent(ReadOnlySpan{byte})"/>; on a miss the key comes from <paramref name="loaded"/> when .NET has that certificate loaded already.</summary>
    public static VerificationKey Rent(ReadOnlySpan<byte> spki, System.Security.Cryptography.X509Certificates.X509Certificate2? loaded)
    {
        var id = Sha256Key.Of(spki);
        if (Idle.TryGetValue(id, out var bag) && bag.TryTake(out var key)) return key;
        return loaded is null ? VerificationKey.Import(spki, id) : VerificationKey.FromLoaded(loaded, spki, id);
    }

    public static void Return(VerificationKey key)
    {
        if (Idle.Count >= Capacity)
        {
            foreach (var entry in Idle)
                while (entry.Value.TryTake(out var old)) old.Dispose();
            Idle.Clear();
        }
        var bag = Idle.GetOrAdd(key.Id, static _ => []);
        if (bag.Count < InstancesPerKey) bag.Add(key);
        else key.Dispose();
    }

    /// <summary>Forgets every key (benchmarks measure first contact with it).</summary>
    public static void Clear()
    {
        foreach (var entry in Idle)
            while (entry.Value.TryTake(out var old)) old.Dispose();
        Idle.Clear();
    }
}
