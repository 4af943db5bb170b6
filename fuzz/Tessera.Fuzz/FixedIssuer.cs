using Tessera.Pki;

namespace Tessera.Fuzz;

/// <summary>
/// Tessera.Pki with the fuzz harness's fixed clock and entropy, so the fuzz chains are issued with the one profile
/// Tessera issues everywhere and yet the same serials and dates in every process.
/// </summary>
internal static class FixedIssuer
{
    /// <summary>A root valid from just before <see cref="FixedClock.Instant"/> for a year.</summary>
    public static CertificateIssuer Root(string name, CaKey key) =>
        CertificateIssuer.CreateRoot(name, key, FixedClock.Instant.AddDays(365), pathLength: null, new FixedClock(), new FixedEntropy());

    /// <summary>A leaf for <paramref name="name"/> with <paramref name="key"/> (serverAuth, or clientAuth).</summary>
    public static IssuedCertificate Leaf(CertificateIssuer ca, CaKey key, string name, bool client) =>
        new(ca.SignLeaf(key.Request($"CN={name}"), [name], client, FixedClock.Instant.AddDays(365)), key);
}
