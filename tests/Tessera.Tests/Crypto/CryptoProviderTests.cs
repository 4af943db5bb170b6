using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// The provider layer: a connection does its key exchange, record protection and key schedule through the provider
/// in its options (seen through a provider that counts what it is asked for), the choice is visible on the
/// connection, options refuse a group their provider lacks, and the environment variable names a provider.
/// </summary>
public sealed class CryptoProviderTests
{
    [Theory]
    [InlineData(ProtocolVersion.Tls13)]
    [InlineData(ProtocolVersion.Tls12)]
    public void A_Handshake_Uses_The_Provider_In_Its_Options_For_Every_Primitive_It_Routes(ProtocolVersion version)
    {
        var counting = new CountingProvider(CryptoProvider.Portable);
        var (client, server) = Pair.Connect(
            Pair.Client() with { CryptoProvider = counting, MaxVersion = version },
            Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { CryptoProvider = counting });
        Pair.Exchange(client, server, [1, 2, 3]);
        Assert.Same(counting, client.CryptoProvider);
        Assert.Same(counting, server.CryptoProvider);
        Assert.True(counting.KeyExchanges >= 2, $"{counting.KeyExchanges} key exchanges");
        Assert.True(counting.Aeads >= 4, $"{counting.Aeads} record keys");
        if (version == ProtocolVersion.Tls13)
        {
            Assert.True(counting.Expands > 10, $"{counting.Expands} HKDF-Expand calls");
            Assert.True(counting.Hmacs >= 2, $"{counting.Hmacs} HMACs (Finished)");
        }
    }

    [Fact]
    public void Options_Refuse_A_Group_Their_Provider_Does_Not_Have()
    {
        var onlyX25519 = new CountingProvider(CryptoProvider.Portable, NamedGroup.X25519);
        var e = Assert.Throws<ArgumentException>(() => Tessera.Connection.TlsConnection.CreateClient(
            Pair.Client() with { CryptoProvider = onlyX25519, Groups = [NamedGroup.X25519, NamedGroup.Secp256r1] }, "example.test"));
        Assert.Contains("counting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Environment_Variable_Names_A_Provider_And_Refuses_An_Unknown_One()
    {
        Assert.Same(CryptoProvider.Portable, CryptoProvider.FromEnvironment("portable"));
        Assert.Same(CryptoProvider.Portable, CryptoProvider.FromEnvironment(" Portable "));
        if (CryptoProvider.IsNativeAvailable)
        {
            Assert.Equal("native", CryptoProvider.FromEnvironment("native").Name);
            Assert.Equal("native", CryptoProvider.FromEnvironment(null).Name);   // the automatic choice where libcrypto 3 loads
        }
        var e = Assert.Throws<InvalidOperationException>(() => CryptoProvider.FromEnvironment("boring"));
        Assert.Contains("'native' and 'portable'", e.Message, StringComparison.Ordinal);
        Assert.Contains(CryptoProvider.EnvironmentVariable, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Delegates to another provider and counts the calls; optionally supports fewer groups.</summary>
    private sealed class CountingProvider(CryptoProvider inner, params NamedGroup[] groups) : CryptoProvider
    {
        public int KeyExchanges, Aeads, Expands, Hmacs;

        public override string Name => "counting";

        public override bool SupportsGroup(NamedGroup group) => groups.Length == 0 ? inner.SupportsGroup(group) : Array.IndexOf(groups, group) >= 0;

        public override KeyExchange GenerateKeyExchange(NamedGroup group, RandomNumberGenerator? random)
        {
            Interlocked.Increment(ref KeyExchanges);
            return inner.GenerateKeyExchange(group, random);
        }

        public override RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
        {
            Interlocked.Increment(ref Aeads);
            return inner.CreateAead(algorithm, key);
        }

        public override void HkdfExtract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk) => inner.HkdfExtract(hash, salt, ikm, prk);

        public override void HkdfExpand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
        {
            Interlocked.Increment(ref Expands);
            inner.HkdfExpand(hash, prk, info, output);
        }

        public override void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
        {
            Interlocked.Increment(ref Hmacs);
            inner.Hmac(hash, key, data, output);
        }

        public override void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> output) => inner.Hash(hash, data, output);
    }
}
