using System.Buffers.Binary;
using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Records;

/// <summary>
/// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3). The additional data is seq_num + type + version +
/// plaintext length. AES-GCM nonces are the 4-byte salt from the key block plus an 8-byte explicit nonce
/// sent in the record (RFC 5288 §3; we send the sequence number, which never repeats under one key);
/// ChaCha20-Poly1305 nonces are the 12-byte IV XOR the sequence number, with nothing explicit (RFC 7905 §2).
/// </summary>
internal sealed class Tls12RecordProtection : RecordProtection
{
    private const int HeaderLength = 5;
    private const int TagLength = 16;
    private readonly RecordAead _aead;
    private readonly byte[] _iv;
    private readonly int _explicitNonceLength;

    /// <param name="suite">The negotiated suite.</param>
    /// <param name="key">The write key from the key block.</param>
    /// <param name="fixedIv">The implicit part of the nonce from the key block (4 bytes for AES-GCM, 12 for ChaCha20).</param>
    /// <param name="provider">The crypto provider, or the process default.</param>
    /// <param name="sealing">True for a write key, false for a read key, null when the protection may do both.</param>
    public Tls12RecordProtection(CipherSuiteInfo suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> fixedIv, CryptoProvider? provider = null, bool? sealing = null)
    {
        var crypto = provider ?? CryptoProvider.Default;
        _aead = sealing is { } direction ? crypto.CreateAead(suite.Aead, key, direction) : crypto.CreateAead(suite.Aead, key);
        _iv = fixedIv.ToArray();
        _explicitNonceLength = suite.Tls12ExplicitNonceLength;
    }

    public override ulong RecordLimit => ulong.MaxValue - 1;
    public override bool ProtectsEveryType => true;
    public override int MaxCiphertextExpansion => 2048;
    public override int MaxOverhead => HeaderLength + _explicitNonceLength + TagLength;

    private void Nonce(Span<byte> nonce, ReadOnlySpan<byte> explicitNonce)
    {
        if (_explicitNonceLength > 0)
        {
            _iv.CopyTo(nonce);
            explicitNonce.CopyTo(nonce[4..]);
            return;
        }
        _iv.CopyTo(nonce);
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, Sequence);
        for (var i = 0; i < 8; i++) nonce[4 + i] ^= seq[i];
    }

    private void AdditionalData(Span<byte> aad, ContentType type, int plaintextLength)
    {
        BinaryPrimitives.WriteUInt64BigEndian(aad, Sequence);
        aad[8] = (byte)type;
        aad[9] = 0x03;
        aad[10] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(aad[11..], (ushort)plaintextLength);
    }

    public override int Seal(ContentType type, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (Sequence == ulong.MaxValue - 1) throw TlsException.Internal("record sequence number exhausted; TLS 1.2 cannot rekey without renegotiation");
        var recordLength = _explicitNonceLength + plaintext.Length + TagLength;
        destination[0] = (byte)type;
        destination[1] = 0x03;
        destination[2] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)recordLength);
        var explicitNonce = destination.Slice(HeaderLength, _explicitNonceLength);
        if (_explicitNonceLength > 0) BinaryPrimitives.WriteUInt64BigEndian(explicitNonce, Sequence);
        var body = destination.Slice(HeaderLength + _explicitNonceLength, plaintext.Length);
        plaintext.CopyTo(body);
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce, explicitNonce);
        Span<byte> aad = stackalloc byte[13];
        AdditionalData(aad, type, plaintext.Length);
        _aead.Seal(nonce, body, body, destination.Slice(HeaderLength + _explicitNonceLength + plaintext.Length, TagLength), aad);
        Sequence++;
        return HeaderLength + recordLength;
    }

    public override (ContentType Type, int Offset, int Length) Open(ReadOnlySpan<byte> header, Span<byte> payload)
    {
        if (payload.Length < _explicitNonceLength + TagLength)
            throw new TlsException(AlertDescription.BadRecordMac, "protected record too short to hold its nonce and tag");
        if (Sequence == ulong.MaxValue - 1) throw TlsException.Unexpected("the peer exhausted the record sequence number");
        var type = (ContentType)header[0];
        var plaintextLength = payload.Length - _explicitNonceLength - TagLength;
        if (plaintextLength > RecordLayer.MaxPlaintext)
            throw new TlsException(AlertDescription.RecordOverflow, $"a protected record carries {plaintextLength} bytes of plaintext; the limit is 16384");
        Span<byte> nonce = stackalloc byte[12];
        Nonce(nonce, payload[.._explicitNonceLength]);
        Span<byte> aad = stackalloc byte[13];
        AdditionalData(aad, type, plaintextLength);
        var ciphertext = payload.Slice(_explicitNonceLength, plaintextLength);
        if (!_aead.Open(nonce, ciphertext, payload[^TagLength..], ciphertext, aad))
            throw new TlsException(AlertDescription.BadRecordMac, "a record failed authentication (bad_record_mac): it was altered in transit or protected with a different key");
        Sequence++;
        return (type, _explicitNonceLength, plaintextLength);
    }

    public override void Dispose()
    {
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_iv);
    }
}
