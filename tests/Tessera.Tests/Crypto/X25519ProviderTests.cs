using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// X25519 under every provider: the RFC 7748 known answers (§5.2 scalar multiplications, one with the u-coordinate's
/// top bit set, which must be masked; §6.1 Alice and Bob, checked again with pyca/cryptography), low-order points
/// and a wrong-length share refused as illegal_parameter, and each provider agreeing with the other.
/// </summary>
public sealed class X25519ProviderTests
{
    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "portable" };
        if (CryptoProvider.IsNativeAvailable) data.Add("native");
        return data;
    }

    private static CryptoProvider Provider(string name) => CryptoProvider.FromEnvironment(name);

    [Fact]
    public void The_Native_Provider_Is_Available_On_Linux_With_Libcrypto_3()
    {
        // On the Linux machines CI and this repo run on, libcrypto.so.3 is what .NET itself uses; a missing native
        // provider there is a failure, not a reason to skip its tests silently.
        if (OperatingSystem.IsLinux()) Assert.True(CryptoProvider.IsNativeAvailable, "native crypto provider unavailable on Linux");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rfc7748_Known_Answers(string provider)
    {
        var crypto = Provider(provider);
        Assert.Equal("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
            Multiply(crypto, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        Assert.Equal("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
            Multiply(crypto, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));

        using var alice = crypto.GenerateKeyExchange(NamedGroup.X25519, new FixedRandom(Hex.Bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.Of(alice.PublicKey));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
            Hex.Of(alice.DeriveSharedSecret(Hex.Bytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Low_Order_Points_And_Wrong_Lengths_Are_Illegal_Parameter(string provider)
    {
        using var kx = Provider(provider).GenerateKeyExchange(NamedGroup.X25519, null);
        var one = new byte[32];
        one[0] = 1;
        // u = 0, u = 1, and p (2^255 - 19, which reduces to 0): all give the all-zero result.
        var p = Hex.Bytes("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        foreach (var share in new[] { new byte[32], one, p })
        {
            var e = Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(share));
            Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
            Assert.Contains("low-order", e.Message, StringComparison.Ordinal);
        }
        foreach (var length in new[] { 0, 31, 33 })
            Assert.Equal(AlertDescription.IllegalParameter, Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(new byte[length])).Alert);
    }

    [Fact]
    public void The_Providers_Agree_With_Each_Other()
    {
        using var portable = CryptoProvider.Portable.GenerateKeyExchange(NamedGroup.X25519, null);
        using var native = CryptoProvider.Native.GenerateKeyExchange(NamedGroup.X25519, null);
        Assert.Equal(portable.DeriveSharedSecret(native.PublicKey), native.DeriveSharedSecret(portable.PublicKey));
        using var hybridPortable = CryptoProvider.Portable.GenerateKeyExchange(NamedGroup.X25519MLKEM768, null);
        var answer = CryptoProvider.Native.AnswerKeyShare(NamedGroup.X25519MLKEM768, hybridPortable.PublicKey, null);
        Assert.Equal(answer.SharedSecret, hybridPortable.DeriveSharedSecret(answer.Share));
    }

    private static string Multiply(CryptoProvider crypto, string scalar, string u)
    {
        using var kx = crypto.GenerateKeyExchange(NamedGroup.X25519, new FixedRandom(Hex.Bytes(scalar)));
        return Hex.Of(kx.DeriveSharedSecret(Hex.Bytes(u)));
    }
}
