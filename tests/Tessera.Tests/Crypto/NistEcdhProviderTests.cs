using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// ECDHE over P-256, P-384 and P-521 under every provider: the RFC 5903 §8.1 known answer for P-256, the same share
/// from the same random bytes under both providers, agreement across providers on every curve, and every malformed
/// share (compressed or hybrid form, wrong length, point off the curve, a coordinate past the field prime, the
/// point-at-infinity encoding) refused as illegal_parameter (RFC 8446 §4.2.8.2).
/// </summary>
public sealed class NistEcdhProviderTests
{
    public static TheoryData<string, NamedGroup> ProvidersAndCurves() =>
        ProviderNames.With(NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1);

    private static CryptoProvider Provider(string name) => CryptoProvider.FromEnvironment(name);

    [Theory]
    [MemberData(nameof(X25519ProviderTests.Providers), MemberType = typeof(X25519ProviderTests))]
    public void Rfc5903_P256_Known_Answer(string provider)
    {
        var crypto = Provider(provider);
        using var initiator = crypto.GenerateKeyExchange(NamedGroup.Secp256r1,
            new FixedRandom(Hex.Bytes("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433")));
        Assert.Equal("04" + "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
                          + "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3", Hex.Of(initiator.PublicKey));
        var responder = "04" + "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
                             + "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab";
        Assert.Equal("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de", Hex.Of(initiator.DeriveSharedSecret(Hex.Bytes(responder))));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndCurves))]
    public void Malformed_Shares_Are_Illegal_Parameter(string provider, NamedGroup group)
    {
        using var kx = Provider(provider).GenerateKeyExchange(group, null);
        var good = kx.PublicKey;
        var field = (good.Length - 1) / 2;
        var offCurve = good.ToArray();
        offCurve[^1] ^= 1;
        var compressed = good.AsSpan(0, 1 + field).ToArray();
        compressed[0] = (byte)(2 + (good[^1] & 1));
        var hybrid = good.ToArray();
        hybrid[0] = (byte)(6 + (good[^1] & 1));
        var pastPrime = good.ToArray();
        pastPrime.AsSpan(1, field).Fill(0xFF);   // x ≥ p on every NIST curve
        if (group == NamedGroup.Secp521r1) pastPrime[1] = 0x01;   // 2^521 - 1 is p itself: still not a field element
        foreach (var share in new[] { offCurve, compressed, hybrid, pastPrime, [0x00], [], good.AsSpan(0, good.Length - 1).ToArray(), [.. good, 0] })
        {
            var e = Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(share));
            Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        }
    }

    [Theory]
    [MemberData(nameof(ProvidersAndCurves))]
    public void The_Providers_Agree_On_Shares_And_Secrets(string provider, NamedGroup group)
    {
        var other = ProviderNames.Other(provider);
        var seed = new byte[66 * 4];
        for (var i = 0; i < seed.Length; i++) seed[i] = (byte)(i * 37 + 11);
        using var mine = Provider(provider).GenerateKeyExchange(group, new FixedRandom(seed));
        using var same = other.GenerateKeyExchange(group, new FixedRandom(seed));
        Assert.Equal(Hex.Of(same.PublicKey), Hex.Of(mine.PublicKey));
        using var theirs = other.GenerateKeyExchange(group, null);
        Assert.Equal(Hex.Of(theirs.DeriveSharedSecret(mine.PublicKey)), Hex.Of(mine.DeriveSharedSecret(theirs.PublicKey)));
    }
}
