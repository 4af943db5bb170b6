using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Prng;

namespace Tessera.Crypto;

/// <summary>
/// BouncyCastle's random-generator shape over Tessera's one source of randomness, so the primitives that draw their
/// own (ML-KEM encapsulation) draw from the injected generator too and vector tests reproduce exact bytes.
/// </summary>
internal sealed class InjectedRandomGenerator(RandomNumberGenerator? random) : IRandomGenerator
{
    // Seed material is the OS generator's business (or the test's fixed stream); it is ignored, not mixed in.
    public void AddSeedMaterial(byte[] seed) { }
    public void AddSeedMaterial(ReadOnlySpan<byte> seed) { }
    public void AddSeedMaterial(long seed) { }

    public void NextBytes(byte[] bytes) => TlsRandom.Fill(random, bytes);
    public void NextBytes(byte[] bytes, int start, int len) => TlsRandom.Fill(random, bytes.AsSpan(start, len));
    public void NextBytes(Span<byte> bytes) => TlsRandom.Fill(random, bytes);
}
