using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// Each group agrees with itself, and a hostile share is refused with illegal_parameter (RFC 8446 §4.2.8.2, §7.4.2;
/// RFC 7748 §6): a wrong length, an EC point off the curve or in compressed form, an X25519/X448 low-order point.
/// </summary>
public sealed class KeyExchangeTests
{
    [Theory]
    [InlineData(NamedGroup.X25519, 32, 32)]
    [InlineData(NamedGroup.X448, 56, 56)]
    [InlineData(NamedGroup.Secp256r1, 65, 32)]
    [InlineData(NamedGroup.Secp384r1, 97, 48)]
    [InlineData(NamedGroup.Secp521r1, 133, 66)]
    public void Both_Sides_Derive_The_Same_Secret_Of_The_Right_Length(NamedGroup group, int shareLength, int secretLength)
    {
        Assert.True(KeyExchange.IsSupported(group));
        using var a = KeyExchange.Generate(group, null);
        using var b = KeyExchange.Generate(group, null);
        Assert.Equal(shareLength, a.PublicKey.Length);
        var ab = a.DeriveSharedSecret(b.PublicKey);
        var ba = b.DeriveSharedSecret(a.PublicKey);
        Assert.Equal(secretLength, ab.Length);
        Assert.Equal(ab, ba);
    }

    [Theory]
    [InlineData(NamedGroup.X25519, 31)]
    [InlineData(NamedGroup.X25519, 33)]
    [InlineData(NamedGroup.X448, 55)]
    [InlineData(NamedGroup.X448, 57)]
    [InlineData(NamedGroup.Secp521r1, 132)]
    [InlineData(NamedGroup.Secp521r1, 134)]
    [InlineData(NamedGroup.Secp521r1, 0)]
    public void A_Share_Of_The_Wrong_Length_Is_Illegal_Parameter(NamedGroup group, int length)
    {
        using var kx = KeyExchange.Generate(group, null);
        var share = RandomNumberGenerator.GetBytes(length);
        if (length > 0) share[0] = 0x04;
        var e = Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(share));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
    }

    public static TheoryData<NamedGroup, byte[]> LowOrderPoints()
    {
        var data = new TheoryData<NamedGroup, byte[]>();
        foreach (var (group, length) in new[] { (NamedGroup.X25519, 32), (NamedGroup.X448, 56) })
        {
            data.Add(group, new byte[length]);   // u = 0
            var one = new byte[length];
            one[0] = 1;                          // u = 1 (little-endian)
            data.Add(group, one);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void A_Low_Order_Point_Is_Illegal_Parameter(NamedGroup group, byte[] share)
    {
        using var kx = KeyExchange.Generate(group, null);
        var e = Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(share));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("low-order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_P521_Point_Off_The_Curve_Or_Compressed_Is_Illegal_Parameter()
    {
        using var kx = KeyExchange.Generate(NamedGroup.Secp521r1, null);
        using var peer = KeyExchange.Generate(NamedGroup.Secp521r1, null);
        var offCurve = (byte[])peer.PublicKey.Clone();
        offCurve[^1] ^= 0x01;   // y changed: no longer on the curve
        Assert.Equal(AlertDescription.IllegalParameter, Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(offCurve)).Alert);
        var compressed = (byte[])peer.PublicKey.Clone();
        compressed[0] = 0x02;
        Assert.Equal(AlertDescription.IllegalParameter, Assert.Throws<TlsException>(() => kx.DeriveSharedSecret(compressed)).Alert);
    }

    [Fact]
    public void P521_Scalars_Come_From_The_Injected_Random_And_Replay_Exactly()
    {
        // One draw of 66 bytes is enough: the masked top byte keeps it below the order at the first attempt.
        var pool = Enumerable.Repeat((byte)0x5A, 66).ToArray();
        using var a = KeyExchange.Generate(NamedGroup.Secp521r1, new Support.FixedRandom((byte[])pool.Clone()));
        using var b = KeyExchange.Generate(NamedGroup.Secp521r1, new Support.FixedRandom((byte[])pool.Clone()));
        Assert.Equal(a.PublicKey, b.PublicKey);
    }
}
