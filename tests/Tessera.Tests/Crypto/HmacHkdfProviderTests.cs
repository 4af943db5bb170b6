using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// HMAC and HKDF under every provider against published answers: RFC 4231 (test cases 2 and 6, the second with a key
/// longer than the block), an empty key, and RFC 5869 A.1 and A.3 (no salt, no info); the values were checked again
/// with Python's hmac and pyca/cryptography. The RFC 8448 traces exercise the same primitives under the default
/// provider, and .ci/run repeats them under the portable one.
/// </summary>
public sealed class HmacHkdfProviderTests
{
    public static TheoryData<string> Providers() => X25519ProviderTests.Providers();

    [Theory]
    [MemberData(nameof(Providers))]
    public void Hmac_Known_Answers(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var jefe = "what do ya want for nothing?"u8.ToArray();
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Mac(crypto, HashAlgorithmName.SHA256, "Jefe"u8, jefe));
        Assert.Equal("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649", Mac(crypto, HashAlgorithmName.SHA384, "Jefe"u8, jefe));
        Assert.Equal("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", Mac(crypto, HashAlgorithmName.SHA512, "Jefe"u8, jefe));
        var longKey = Enumerable.Repeat((byte)0xaa, 131).ToArray();
        Assert.Equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            Mac(crypto, HashAlgorithmName.SHA256, longKey, "Test Using Larger Than Block-Size Key - Hash Key First"u8.ToArray()));
        Assert.Equal("fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351", Mac(crypto, HashAlgorithmName.SHA256, [], "abc"u8.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Hkdf_Rfc5869_Known_Answers(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();
        var salt = Hex.Bytes("000102030405060708090a0b0c");
        var info = Hex.Bytes("f0f1f2f3f4f5f6f7f8f9");
        var prk = new byte[32];
        var okm = new byte[42];

        crypto.HkdfExtract(HashAlgorithmName.SHA256, salt, ikm, prk);
        Assert.Equal("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", Hex.Of(prk));
        crypto.HkdfExpand(HashAlgorithmName.SHA256, prk, info, okm);
        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Hex.Of(okm));

        crypto.HkdfExtract(HashAlgorithmName.SHA256, [], ikm, prk);
        Assert.Equal("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", Hex.Of(prk));
        crypto.HkdfExpand(HashAlgorithmName.SHA256, prk, [], okm);
        Assert.Equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", Hex.Of(okm));
    }

    [Fact]
    public void The_Providers_Agree_On_Every_Output_Length_Up_To_Three_Blocks()
    {
        var prk = RandomNumberGenerator.GetBytes(48);
        var info = RandomNumberGenerator.GetBytes(40);
        foreach (var hash in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.SHA384 })
            for (var length = 1; length <= 3 * 48; length++)
            {
                var portable = new byte[length];
                var native = new byte[length];
                CryptoProvider.Portable.HkdfExpand(hash, prk, info, portable);
                CryptoProvider.Native.HkdfExpand(hash, prk, info, native);
                Assert.Equal(portable, native);
            }
    }

    private static string Mac(CryptoProvider crypto, HashAlgorithmName hash, ReadOnlySpan<byte> key, byte[] data)
    {
        var output = new byte[hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64];
        crypto.Hmac(hash, key, data, output);
        return Hex.Of(output);
    }
}
