using Tessera.Crypto;
using Tessera.Records;
using Tessera.Tests.Crypto;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Records;

/// <summary>
/// A TLS 1.3 record protection moved to the next traffic secret in place (handshake to application keys, KeyUpdate)
/// must be indistinguishable from a new protection under that secret: the same record bytes from the first sequence
/// number, and each opens what the other seals. Where a provider's AEAD cannot re-key, the answer is "no", not a
/// protection left half-changed.
/// </summary>
public sealed class RekeyInPlaceTests
{
    public static TheoryData<string, ushort> ProvidersAndSuites() =>
        ProviderNames.With((ushort)CipherSuite.TlsAes128GcmSha256, (ushort)CipherSuite.TlsAes256GcmSha384, (ushort)CipherSuite.TlsChaCha20Poly1305Sha256);

    [Theory]
    [MemberData(nameof(ProvidersAndSuites))]
    public void A_Rekeyed_Protection_Seals_And_Opens_As_A_New_One(string provider, ushort suiteCode)
    {
        var crypto = CryptoProvider.FromEnvironment(provider);
        var suite = CipherSuiteInfo.Get((CipherSuite)suiteCode);
        var first = Secret(suite, 1);
        var next = Secret(suite, 2);
        using var sealer = new Tls13RecordProtection(suite, first, crypto, sealing: true);
        using var opener = new Tls13RecordProtection(suite, first, crypto, sealing: false);
        // Use the first keys, so the sequence numbers are not zero when the keys change.
        for (var i = 0; i < 3; i++) Assert.Equal("before"u8.ToArray(), OpenRecord(opener, SealRecord(sealer, "before"u8)));

        var sealerRekeyed = sealer.TryRekey(suite, next, crypto);
        var openerRekeyed = opener.TryRekey(suite, next, crypto);
        Assert.Equal(sealerRekeyed, openerRekeyed);
        if (!sealerRekeyed)
        {
            // Refused: the protection still works under the first secret.
            Assert.Equal("still"u8.ToArray(), OpenRecord(opener, SealRecord(sealer, "still"u8)));
            return;
        }
        Assert.Equal(0UL, sealer.Sequence);
        using var freshSealer = new Tls13RecordProtection(suite, next, crypto, sealing: true);
        using var freshOpener = new Tls13RecordProtection(suite, next, crypto, sealing: false);
        using var peerSealer = new Tls13RecordProtection(suite, next, crypto, sealing: true);
        for (var i = 0; i < 3; i++)
        {
            var record = SealRecord(sealer, "after"u8);
            Assert.Equal(SealRecord(freshSealer, "after"u8), record);
            Assert.Equal("after"u8.ToArray(), OpenRecord(freshOpener, record));
            Assert.Equal("after"u8.ToArray(), OpenRecord(opener, SealRecord(peerSealer, "after"u8)));
        }
        // A record under the old key no longer opens.
        using var oldSealer = new Tls13RecordProtection(suite, first, crypto, sealing: true);
        var stale = SealRecord(oldSealer, "stale"u8);
        Assert.Equal(AlertDescription.BadRecordMac, Assert.Throws<TlsException>(() => OpenRecord(opener, stale)).Alert);
    }

    /// <summary>Linux always has libcrypto 3 (X25519ProviderTests asserts it), and there the in-place path must be the one taken.</summary>
    [Fact]
    public void The_Native_Provider_Rekeys_In_Place()
    {
        if (!OperatingSystem.IsLinux()) return;
        var suite = CipherSuiteInfo.Get(CipherSuite.TlsAes128GcmSha256);
        using var sealer = new Tls13RecordProtection(suite, Secret(suite, 1), CryptoProvider.Native, sealing: true);
        Assert.True(sealer.TryRekey(suite, Secret(suite, 2), CryptoProvider.Native));
    }

    [Fact]
    public void Another_Aead_Is_Not_A_Rekey()
    {
        var aes = CipherSuiteInfo.Get(CipherSuite.TlsAes128GcmSha256);
        var chacha = CipherSuiteInfo.Get(CipherSuite.TlsChaCha20Poly1305Sha256);
        using var sealer = new Tls13RecordProtection(aes, Secret(aes, 1), CryptoProvider.Default, sealing: true);
        Assert.False(sealer.TryRekey(chacha, Secret(chacha, 2), CryptoProvider.Default));
    }

    private static byte[] Secret(CipherSuiteInfo suite, byte fill)
    {
        var secret = new byte[suite.HashLength];
        Array.Fill(secret, fill);
        return secret;
    }

    private static byte[] SealRecord(Tls13RecordProtection protection, ReadOnlySpan<byte> plaintext)
    {
        var buffer = new byte[plaintext.Length + 64];
        var length = protection.Seal(ContentType.ApplicationData, plaintext, buffer);
        return buffer[..length];
    }

    private static byte[] OpenRecord(Tls13RecordProtection protection, byte[] record)
    {
        var payload = record[5..];
        var (type, offset, length) = protection.Open(record.AsSpan(0, 5), payload);
        Assert.Equal(ContentType.ApplicationData, type);
        return payload.AsSpan(offset, length).ToArray();
    }
}
