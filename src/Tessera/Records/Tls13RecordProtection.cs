using System.Buffers.Binary;
using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Records;

/// <summary>
/// RFC 8446 §5.2–5.3: TLSInnerPlaintext under an AEAD, per-record nonce = IV XOR sequence number,
/// additional data = the record header, opaque type application_data.
/// </summary>
internal sealed class Tls13RecordProtection : RecordProtection
{
    public const int MaxExpansion = 256;   // RFC 8446 §5.2
    private readonly RecordAead _aead;
    // The 12-byte write IV as two fields (RFC 8446 §5.3: the sequence number is XORed into its last 8 bytes), not an array.
    private uint _ivHead;
    private ulong _ivTail;
    private readonly ulong _limit;

    /// <param name="suite">The negotiated suite.</param>
    /// <param name="trafficSecret">The traffic secret the key and IV are derived from (RFC 8446 §7.3).</param>
    /// <param name="provider">The crypto provider, or the process default.</param>
    /// <param name="sealing">True for a write key, false for a read key, null when the protection may do both (tests).</param>
    public Tls13RecordProtection(CipherSuiteInfo suite, ReadOnlySpan<byte> trafficSecret, CryptoProvider? provider = null, bool? sealing = null)
    {
        var crypto = provider ?? CryptoProvider.Default;
        // RFC 8446 §7.3: the key only passes through (the AEAD keeps its own copy), so it is derived on the stack.
        Span<byte> key = stackalloc byte[suite.KeyLength];
        KeySchedule.Hkdf13.ExpandLabel(suite.Hash, trafficSecret, "key", [], key, crypto);
        Span<byte> iv = stackalloc byte[12];
        KeySchedule.Hkdf13.ExpandLabel(suite.Hash, trafficSecret, "iv", [], iv, crypto);
        _ivHead = BinaryPrimitives.ReadUInt32BigEndian(iv);
        _ivTail = BinaryPrimitives.ReadUInt64BigEndian(iv[4..]);
        CryptographicOperations.ZeroMemory(iv);
        _aead = sealing is { } direction ? crypto.CreateAead(suite.Aead, key, direction) : crypto.CreateAead(suite.Aead, key);
        CryptographicOperations.ZeroMemory(key);
        _limit = suite.RecordLimitPerKey;
    }

    /// <summary>
    /// Moves this protection to the next traffic secret of the same suite (RFC 8446 §7.2, §7.3: new key and IV, the
    /// sequence number back to zero) without a new object or AEAD context; false when the AEAD cannot, or the suite differs.
    /// </summary>
    public bool TryRekey(CipherSuiteInfo suite, ReadOnlySpan<byte> trafficSecret, CryptoProvider? provider)
    {
        if (suite.Aead != _aead.Algorithm || suite.RecordLimitPerKey != _limit) return false;
        var crypto = provider ?? CryptoProvider.Default;
        Span<byte> key = stackalloc byte[suite.KeyLength];
        Span<byte> iv = stackalloc byte[12];
        try
        {
            KeySchedule.Hkdf13.ExpandLabel(suite.Hash, trafficSecret, "key", [], key, crypto);
            if (!_aead.TryRekey(key)) return false;
            KeySchedule.Hkdf13.ExpandLabel(suite.Hash, trafficSecret, "iv", [], iv, crypto);
            _ivHead = BinaryPrimitives.ReadUInt32BigEndian(iv);
            _ivTail = BinaryPrimitives.ReadUInt64BigEndian(iv[4..]);
            Sequence = 0;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(iv);
        }
    }

    public override ulong RecordLimit => _limit;
    public override bool ProtectsEveryType => false;
    public override int MaxCiphertextExpansion => MaxExpansion;

    /// <summary>5-byte header, 1 content-type byte, 16-byte tag.</summary>
    public override int MaxOverhead => 5 + 1 + 16;

    private void Nonce(Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, _ivHead);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], _ivTail ^ Sequence);
    }

    public override int Seal(ContentType type, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (Sequence == ulong.MaxValue) throw TlsException.Internal("record sequence number exhausted without a key update");
        var innerLength = plaintext.Length + 1;
        var recordLength = innerLength + 16;
        var header = destination[..5];
        header[0] = (byte)ContentType.ApplicationData;
        header[1] = 0x03;
        header[2] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(header[3..], (ushort)recordLength);
        var body = destination.Slice(5, innerLength);
        plaintext.CopyTo(body);        // may overlap exactly when the caller built the plaintext in place
        body[^1] = (byte)type;
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce);
        _aead.Seal(nonce, body, body, destination.Slice(5 + innerLength, 16), header);
        Sequence++;
        return 5 + recordLength;
    }

    public override (ContentType Type, int Offset, int Length) Open(ReadOnlySpan<byte> header, Span<byte> payload)
    {
        if (payload.Length < 17) throw new TlsException(AlertDescription.BadRecordMac, "protected record too short to hold a tag");
        if (Sequence == ulong.MaxValue) throw TlsException.Unexpected("the peer exhausted the record sequence number without a key update");
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce);
        var ciphertext = payload[..^16];
        if (!_aead.Open(nonce, ciphertext, payload[^16..], ciphertext, header))
            throw new TlsException(AlertDescription.BadRecordMac, "a record failed authentication (bad_record_mac): it was altered in transit or protected with a different key");
        Sequence++;
        // Strip zero padding; the last non-zero byte is the real content type (RFC 8446 §5.4).
        var end = ciphertext.Length - 1;
        while (end >= 0 && ciphertext[end] == 0) end--;
        if (end < 0) throw TlsException.Unexpected("a protected record holds only padding and no content type");
        if (end > 16384) throw new TlsException(AlertDescription.RecordOverflow, $"a protected record carries {end} bytes of plaintext; the limit is 16384");
        return ((ContentType)ciphertext[end], 0, end);
    }

    public override void Dispose()
    {
        _aead.Dispose();
        _ivHead = 0;
        _ivTail = 0;
    }
}
