using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): known answers from an independent implementation (pyca/cryptography
/// on OpenSSL, see Vectors/x25519mlkem768_vectors.py for the streams and how the values were made), the layout of
/// shares and secret, and hostile shares refused with illegal_parameter: wrong lengths, an encapsulation key that
/// fails FIPS 203 §7.2, a low-order X25519 half.
/// </summary>
public sealed class X25519MlKem768Tests
{
    private const string ClientShareSha256 = "d99e4496af749b54ee4a2d270c8057450624ecc5dc0866295ffc504a26134ad4";
    private const string ServerX25519Public = "605a725d2a4adfeeb1a29e17edd621c1b7593ee8cdbc44ac6c4ab6e2f805d23c";

    // Tessera's ciphertext for the server stream, checked by the script: pyca decapsulates it to this secret's first half.
    private const string ServerShareSha256 = "909958b0cf154a1433eb7feb3a32a13c2f75b107fb5da36e6d783d9e8e4a0cf9";
    private const string SharedSecret =
        "17d8587df97992216500b8ff0064e0b84e1e74dd469fcf5b8ea67fb4fbe8c9ee" +   // ML-KEM-768 shared secret
        "b52d6135428972abd805ef1a50a3ecd24feb7bb3c4643b462849a78ac7796e56";    // X25519 shared secret

    private static FixedRandom ClientStream() => new(Range(0x00, 0x60));
    private static FixedRandom ServerStream() => new(Range(0xA0, 0xE0));

    private static byte[] Range(int from, int to)
    {
        var bytes = new byte[to - from];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(from + i);
        return bytes;
    }

    [Fact]
    public void Client_Share_Is_The_Encapsulation_Key_Then_The_X25519_Key_Known_Answer()
    {
        var random = ClientStream();
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, random);
        Assert.Equal(0, random.Remaining);   // 64 bytes of seed d‖z, 32 of X25519 scalar: nothing else drawn
        Assert.Equal(1216, client.PublicKey.Length);
        Assert.Equal(ClientShareSha256, Convert.ToHexStringLower(SHA256.HashData(client.PublicKey)));
        Assert.True(X25519MlKem768KeyExchange.PassesModulusCheck(client.PublicKey.AsSpan(0, 1184)));
    }

    [Fact]
    public void Server_Answer_And_Client_Decapsulation_Reach_The_Known_Secret()
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, ClientStream());
        var random = ServerStream();
        var answer = KeyExchange.Answer(NamedGroup.X25519MLKEM768, client.PublicKey, random);
        Assert.Equal(0, random.Remaining);   // X25519 scalar, then ML-KEM's m
        Assert.Equal(1120, answer.Share.Length);
        Assert.Equal(ServerX25519Public, Convert.ToHexStringLower(answer.Share.AsSpan(1088)));
        Assert.Equal(ServerShareSha256, Convert.ToHexStringLower(SHA256.HashData(answer.Share)));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(answer.SharedSecret));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(client.DeriveSharedSecret(answer.Share)));
    }

    [Fact]
    public void Fresh_Keys_Agree_And_The_Secret_Is_MlKem_Then_X25519()
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var answer = KeyExchange.Answer(NamedGroup.X25519MLKEM768, client.PublicKey, null);
        var secret = client.DeriveSharedSecret(answer.Share);
        Assert.Equal(64, secret.Length);
        Assert.Equal(answer.SharedSecret, secret);
        // The second half is plain X25519 between the two X25519 halves of the shares: the draft's order.
        var clientX = client.PublicKey.AsSpan(1184).ToArray();
        Assert.NotEqual(clientX, answer.Share.AsSpan(1088).ToArray());
    }

    [Fact]
    public void A_Forged_Ciphertext_Yields_Another_Secret_Not_An_Exception()
    {
        // FIPS 203 §6.3 implicit rejection: the handshake then fails at Finished, never with a decapsulation oracle.
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var answer = KeyExchange.Answer(NamedGroup.X25519MLKEM768, client.PublicKey, null);
        answer.Share[10] ^= 1;
        var secret = client.DeriveSharedSecret(answer.Share);
        Assert.NotEqual(answer.SharedSecret.AsSpan(0, 32).ToArray(), secret.AsSpan(0, 32).ToArray());
        Assert.Equal(answer.SharedSecret.AsSpan(32).ToArray(), secret.AsSpan(32).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1184)]
    [InlineData(1215)]
    [InlineData(1217)]
    public void A_Client_Share_Of_The_Wrong_Length_Is_Illegal_Parameter(int length)
    {
        var e = Assert.Throws<TlsException>(() => KeyExchange.Answer(NamedGroup.X25519MLKEM768, new byte[length], null));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("client share is", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1088)]
    [InlineData(1119)]
    [InlineData(1121)]
    public void A_Server_Share_Of_The_Wrong_Length_Is_Illegal_Parameter(int length)
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var e = Assert.Throws<TlsException>(() => client.DeriveSharedSecret(new byte[length]));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
    }

    [Theory]
    [InlineData(0, 0x0FFF)]       // the largest 12-bit value, first coefficient
    [InlineData(0, 3329)]         // exactly q
    [InlineData(1, 3329)]         // the odd coefficient of a pair (the high 12 bits of three bytes)
    [InlineData(767, 4000)]       // the last coefficient of the last polynomial
    public void An_Encapsulation_Key_With_A_Coefficient_Not_Below_Q_Is_Illegal_Parameter(int coefficient, int value)
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var share = client.PublicKey.ToArray();
        SetCoefficient(share, coefficient, value);
        Assert.False(X25519MlKem768KeyExchange.PassesModulusCheck(share.AsSpan(0, 1184)));
        var e = Assert.Throws<TlsException>(() => KeyExchange.Answer(NamedGroup.X25519MLKEM768, share, null));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains("FIPS 203 §7.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Coefficient_Of_Q_Minus_One_Passes_The_Modulus_Check()
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var share = client.PublicKey.ToArray();
        SetCoefficient(share, 0, 3328);
        SetCoefficient(share, 767, 3328);
        Assert.True(X25519MlKem768KeyExchange.PassesModulusCheck(share.AsSpan(0, 1184)));
        Assert.Equal(64, KeyExchange.Answer(NamedGroup.X25519MLKEM768, share, null).SharedSecret.Length);
    }

    [Fact]
    public void A_Low_Order_X25519_Half_Is_Illegal_Parameter_On_Both_Sides()
    {
        using var client = KeyExchange.Generate(NamedGroup.X25519MLKEM768, null);
        var share = client.PublicKey.ToArray();
        share.AsSpan(1184).Clear();   // u = 0
        var atServer = Assert.Throws<TlsException>(() => KeyExchange.Answer(NamedGroup.X25519MLKEM768, share, null));
        Assert.Equal(AlertDescription.IllegalParameter, atServer.Alert);

        var answer = KeyExchange.Answer(NamedGroup.X25519MLKEM768, client.PublicKey, null);
        answer.Share.AsSpan(1088).Clear();
        answer.Share[1088] = 1;       // u = 1
        var atClient = Assert.Throws<TlsException>(() => client.DeriveSharedSecret(answer.Share));
        Assert.Equal(AlertDescription.IllegalParameter, atClient.Alert);
    }

    [Fact]
    public void The_Hybrid_Is_Tls13_Only()
    {
        Assert.True(KeyExchange.IsSupported(NamedGroup.X25519MLKEM768));
        Assert.False(KeyExchange.IsUsableInTls12(NamedGroup.X25519MLKEM768));
        Assert.True(KeyExchange.IsUsableInTls12(NamedGroup.X25519));
    }

    /// <summary>Writes one 12-bit coefficient of the encapsulation key: two per three bytes, little-endian (FIPS 203 ByteEncode12).</summary>
    private static void SetCoefficient(byte[] key, int index, int value)
    {
        var at = index / 2 * 3;
        if (index % 2 == 0)
        {
            key[at] = (byte)value;
            key[at + 1] = (byte)((key[at + 1] & 0xF0) | (value >> 8));
        }
        else
        {
            key[at + 1] = (byte)((key[at + 1] & 0x0F) | ((value & 0x0F) << 4));
            key[at + 2] = (byte)(value >> 4);
        }
    }
}
