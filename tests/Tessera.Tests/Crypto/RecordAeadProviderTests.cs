using Tessera.Crypto;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// Record AEADs under every provider: the published answers (the GCM specification's test cases 1–2 for AES-128-GCM,
/// RFC 8439 §2.8.2 for ChaCha20-Poly1305); what one provider seals the other opens, in place and not, empty and full
/// records; a flipped bit in ciphertext, tag, AAD or nonce is "does not open" (false, plaintext cleared), and the key
/// keeps working afterwards; a wrong key size or nonce size is refused.
/// </summary>
public sealed class RecordAeadProviderTests
{
    public static TheoryData<string, AeadAlgorithm> ProvidersAndAlgorithms() =>
        ProviderNames.With(AeadAlgorithm.Aes128Gcm, AeadAlgorithm.Aes256Gcm, AeadAlgorithm.ChaCha20Poly1305);

    public static TheoryData<string> Providers() => new(ProviderNames.All);

    [Theory]
    [MemberData(nameof(Providers))]
    public void Aes128Gcm_Gives_The_Published_Answers(string provider)
    {
        using var aead = CryptoProvider.FromEnvironment(provider).CreateAead(AeadAlgorithm.Aes128Gcm, new byte[16]);
        var tag = new byte[16];
        aead.Seal(new byte[12], [], [], tag, []);
        Assert.Equal("58e2fccefa7e3061367f1d57a4e7455a", Convert.ToHexStringLower(tag));

        var block = new byte[16];
        aead.Seal(new byte[12], block, block, tag, []);
        Assert.Equal("0388dace60b6a392f328c2b971b2fe78", Convert.ToHexStringLower(block));
        Assert.Equal("ab6e47d42cec13bdf53a67b21257bddf", Convert.ToHexStringLower(tag));
        Assert.True(aead.Open(new byte[12], block, tag, block, []));
        Assert.Equal(new byte[16], block);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void ChaCha20Poly1305_Gives_The_Rfc8439_Answer(string provider)
    {
        var key = new byte[32];
        for (var i = 0; i < key.Length; i++) key[i] = (byte)(0x80 + i);
        var nonce = Convert.FromHexString("070000004041424344454647");
        var aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();
        using var aead = CryptoProvider.FromEnvironment(provider).CreateAead(AeadAlgorithm.ChaCha20Poly1305, key);
        var sealedText = new byte[plaintext.Length];
        var tag = new byte[16];
        aead.Seal(nonce, plaintext, sealedText, tag, aad);
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", Convert.ToHexStringLower(tag));
        Assert.StartsWith("d31a8d34648e60db7b86afbc53ef7ec2", Convert.ToHexStringLower(sealedText));
        var opened = new byte[plaintext.Length];
        Assert.True(aead.Open(nonce, sealedText, tag, opened, aad));
        Assert.Equal(plaintext, opened);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndAlgorithms))]
    public void What_One_Provider_Seals_The_Other_Opens_And_Forgeries_Do_Not_Open(string provider, AeadAlgorithm algorithm)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var other = ProviderNames.Other(provider);
        var key = new byte[algorithm == AeadAlgorithm.Aes128Gcm ? 16 : 32];
        new Random(7).NextBytes(key);
        using var sealer = crypto.CreateAead(algorithm, key);
        using var opener = other.CreateAead(algorithm, key);
        using var own = crypto.CreateAead(algorithm, key);
        var nonce = Convert.FromHexString("000102030405060708090a0b");
        byte[] aad = [23, 3, 3, 0x40, 0x11];

        foreach (var length in new[] { 0, 1, 15, 16, 17, 1024, 16_385 })
        {
            var plaintext = new byte[length];
            new Random(length).NextBytes(plaintext);
            var record = (byte[])plaintext.Clone();
            var tag = new byte[16];
            sealer.Seal(nonce, record, record, tag, aad);   // in place
            var copy = new byte[length];
            var copyTag = new byte[16];
            own.Seal(nonce, plaintext, copy, copyTag, aad); // not in place, same answer
            Assert.Equal(record, copy);
            Assert.Equal(tag, copyTag);

            var opened = new byte[length];
            Assert.True(opener.Open(nonce, record, tag, opened, aad));
            Assert.Equal(plaintext, opened);
            Assert.True(own.Open(nonce, record, tag, opened, aad));
            Assert.Equal(plaintext, opened);

            AssertDoesNotOpen(own, nonce, Flip(tag, length % 16), record, aad, length);
            if (length > 0) AssertDoesNotOpen(own, nonce, tag, Flip(record, length / 2), aad, length);
            AssertDoesNotOpen(own, nonce, tag, record, Flip(aad, 4), length);
            AssertDoesNotOpen(own, Flip(nonce, 11), tag, record, aad, length);

            // After a forgery the same key still opens the genuine record.
            var again = (byte[])record.Clone();
            Assert.True(own.Open(nonce, again, tag, again, aad));
            Assert.Equal(plaintext, again);
        }
    }

    /// <summary>
    /// A key made for one direction (a TLS traffic key only seals or only opens) gives the same answers as a key for
    /// both, keeps no copy of the key bytes it was given, and a provider that keys only that direction refuses the other.
    /// </summary>
    [Theory]
    [MemberData(nameof(ProvidersAndAlgorithms))]
    public void A_One_Direction_Key_Seals_Or_Opens_As_A_Two_Direction_One_Does(string provider, AeadAlgorithm algorithm)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var key = new byte[algorithm == AeadAlgorithm.Aes128Gcm ? 16 : 32];
        new Random(11).NextBytes(key);
        using var both = crypto.CreateAead(algorithm, key);
        var keyBytes = (byte[])key.Clone();
        using var sealer = crypto.CreateAead(algorithm, keyBytes, sealing: true);
        using var opener = crypto.CreateAead(algorithm, keyBytes, sealing: false);
        Array.Clear(keyBytes);   // the caller's copy is gone: the one-direction keys must not have kept a reference to it

        var nonce = Convert.FromHexString("0a0b0c0d0e0f101112131415");
        byte[] aad = [23, 3, 3, 0, 40];
        var plaintext = new byte[40];
        new Random(3).NextBytes(plaintext);
        var expected = new byte[40];
        var expectedTag = new byte[16];
        both.Seal(nonce, plaintext, expected, expectedTag, aad);
        var sealedRecord = new byte[40];
        var tag = new byte[16];
        sealer.Seal(nonce, plaintext, sealedRecord, tag, aad);
        Assert.Equal(expected, sealedRecord);
        Assert.Equal(expectedTag, tag);
        var opened = new byte[40];
        Assert.True(opener.Open(nonce, sealedRecord, tag, opened, aad));
        Assert.Equal(plaintext, opened);

        if (crypto is Tessera.Crypto.Native.NativeCryptoProvider)
        {
            Assert.Equal(Wire.AlertDescription.InternalError, Assert.Throws<TlsException>(() => opener.Seal(nonce, plaintext, sealedRecord, tag, aad)).Alert);
            Assert.Equal(Wire.AlertDescription.InternalError, Assert.Throws<TlsException>(() => sealer.Open(nonce, sealedRecord, tag, opened, aad)).Alert);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Wrong_Sizes_Are_Refused(string provider)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        Assert.ThrowsAny<Exception>(() => crypto.CreateAead(AeadAlgorithm.Aes128Gcm, new byte[32]).Dispose());
        Assert.ThrowsAny<Exception>(() => crypto.CreateAead(AeadAlgorithm.ChaCha20Poly1305, new byte[16]).Dispose());
        using var aead = crypto.CreateAead(AeadAlgorithm.Aes128Gcm, new byte[16]);
        Assert.ThrowsAny<Exception>(() => aead.Seal(new byte[8], new byte[4], new byte[4], new byte[16], []));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_Disposed_Key_Is_Refused_Not_Used(string provider)
    {
        // A connection torn down on one thread while another still holds its record key: the next call must fail
        // cleanly (the native context is freed only once no call is inside it), never reach freed memory.
        var aead = CryptoProvider.FromEnvironment(provider).CreateAead(AeadAlgorithm.Aes128Gcm, new byte[16]);
        var record = new byte[32];
        var tag = new byte[16];
        aead.Seal(new byte[12], record, record, tag, []);
        aead.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => aead.Seal(new byte[12], record, record, tag, []));
        Assert.ThrowsAny<ObjectDisposedException>(() => aead.Open(new byte[12], record, tag, record, []));
    }

    private static void AssertDoesNotOpen(RecordAead aead, byte[] nonce, byte[] tag, byte[] record, byte[] aad, int length)
    {
        var output = new byte[length];
        Array.Fill(output, (byte)0xEE);
        Assert.False(aead.Open(nonce, record, tag, output, aad));
        Assert.Equal(new byte[length], output);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        copy[index % copy.Length] ^= 0x01;
        return copy;
    }
}
