using System.Buffers.Binary;
using System.Text;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Records;

/// <summary>
/// Framing and protection of records in both directions (RFC 8446 §5). Incoming bytes are buffered and
/// opened in place; outgoing handshake messages are coalesced and fragmented into as few records as the
/// size limit allows.
/// </summary>
internal sealed class RecordLayer : IDisposable
{
    public const int MaxPlaintext = 16384;
    private const int HeaderLength = 5;

    private readonly ByteBuffer _in = new(16 * 1024 + 512);
    private readonly ByteBuffer _out = new(16 * 1024 + 512);
    private readonly ByteBuffer _pendingHandshake = new(2048);
    private RecordProtection? _read;
    private RecordProtection? _write;
    private bool _receivedAnyRecord;

    /// <summary>legacy_record_version for plaintext records: 0x0301 for a client's first flight (RFC 8446 §5.1).</summary>
    public ushort PlaintextRecordVersion { get; set; } = 0x0303;

    /// <summary>Largest plaintext per outgoing record (peer's record_size_limit minus the content-type byte, RFC 8449).</summary>
    public int MaxSendFragment { get; set; } = MaxPlaintext;

    public bool IsReadProtected => _read != null;
    public bool IsWriteProtected => _write != null;

    /// <summary>Incremented each time the read key changes, so a handshake message spanning a key change can be caught.</summary>
    public int ReadKeyEpoch { get; private set; }

    public ByteBuffer Output => _out;
    public int BufferedIncoming => _in.Length;

    /// <summary>
    /// Bytes of rejected 0-RTT data still to discard (RFC 8446 §4.2.10): records that cannot be opened with the
    /// current key (or arrive before any key) are dropped while this lasts; the first record that opens ends it.
    /// </summary>
    public int EarlyDataSkipBudget { get; set; }

    public bool WriteKeyNeedsUpdate => _write != null && _write.Sequence >= _write.RecordLimit;

    public void AddIncoming(ReadOnlySpan<byte> data) => _in.Append(data);

    public void SetReadProtection(RecordProtection? protection)
    {
        _read?.Dispose();
        _read = protection;
        ReadKeyEpoch++;
    }

    /// <summary>The read side moves to the next TLS 1.3 traffic secret in place when it can (<see cref="Tls13RecordProtection.TryRekey"/>).</summary>
    public bool TryRekeyRead(CipherSuiteInfo suite, ReadOnlySpan<byte> trafficSecret, CryptoProvider provider)
    {
        if (_read is not Tls13RecordProtection current || !current.TryRekey(suite, trafficSecret, provider)) return false;
        ReadKeyEpoch++;
        return true;
    }

    /// <summary>The write side likewise; what was written under the old key goes out first.</summary>
    public bool TryRekeyWrite(CipherSuiteInfo suite, ReadOnlySpan<byte> trafficSecret, CryptoProvider provider)
    {
        if (_write is not Tls13RecordProtection current) return false;
        FlushHandshake();
        return current.TryRekey(suite, trafficSecret, provider);
    }

    public void SetWriteProtection(RecordProtection? protection)
    {
        FlushHandshake();
        _write?.Dispose();
        _write = protection;
    }

    /// <summary>
    /// Reads the next whole record. The returned payload lives in the input buffer and is valid until the
    /// next call to this method or <see cref="AddIncoming"/>.
    /// </summary>
    public bool TryReadRecord(out ContentType type, out Span<byte> payload)
    {
        bool skipped;
        bool read;
        do
        {
            read = TryReadOne(out type, out payload, out skipped);
        }
        while (skipped);
        return read;
    }

    private bool TryReadOne(out ContentType type, out Span<byte> payload, out bool skipped)
    {
        skipped = false;
        type = ContentType.Invalid;
        payload = default;
        var buffered = _in.Readable;
        if (buffered.Length < HeaderLength)
        {
            if (!buffered.IsEmpty) CheckLooksLikeTls(buffered);
            return false;
        }
        CheckLooksLikeTls(buffered);
        var outerType = (ContentType)buffered[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffered[3..]);
        // TLS 1.3 hides the real type inside application_data records; TLS 1.2 protects every type but
        // ChangeCipherSpec and shows it in the header.
        var protectedRecord = _read != null &&
            (_read.ProtectsEveryType ? outerType != ContentType.ChangeCipherSpec : outerType == ContentType.ApplicationData);
        var max = protectedRecord ? MaxPlaintext + _read!.MaxCiphertextExpansion : MaxPlaintext;
        if (length > max)
            throw new TlsException(AlertDescription.RecordOverflow, $"received a record of {length} bytes; the limit is {max}");
        if (buffered.Length < HeaderLength + length) return false;

        _receivedAnyRecord = true;
        var header = buffered[..HeaderLength];
        var body = buffered.Slice(HeaderLength, length);
        _in.Consume(HeaderLength + length); // the bytes stay in place until the next AddIncoming

        if (EarlyDataSkipBudget > 0 && outerType == ContentType.ApplicationData && (_read is null || !_read.ProtectsEveryType))
        {
            if (_read is null)
            {
                EarlyDataSkipBudget -= Math.Min(EarlyDataSkipBudget, length);
                skipped = true;
                return false;
            }
            try
            {
                var opened = _read.Open(header, body);
                EarlyDataSkipBudget = 0;   // the client has moved on to handshake keys
                type = opened.Type;
                payload = body.Slice(opened.Offset, opened.Length);
                return CheckInner(type, opened.Length);
            }
            catch (TlsException e) when (e.Alert == AlertDescription.BadRecordMac && length <= EarlyDataSkipBudget)
            {
                // A failed open does not advance the sequence number, so the next record is tried with the same one.
                EarlyDataSkipBudget -= length;
                skipped = true;
                return false;
            }
        }

        if (protectedRecord)
        {
            if (_read!.ProtectsEveryType && outerType is not (ContentType.Handshake or ContentType.Alert or ContentType.ApplicationData))
                throw TlsException.Unexpected($"received a record of unknown content type {(byte)outerType}");
            var (inner, offset, innerLength) = _read.Open(header, body);
            type = inner;
            payload = body.Slice(offset, innerLength);
            return CheckInner(inner, innerLength);
        }

        switch (outerType)
        {
            case ContentType.ApplicationData:
                throw TlsException.Unexpected("received application data before the handshake established keys");
            case ContentType.Handshake when _read != null:
                throw TlsException.Unexpected("received a plaintext handshake record after encryption started");
            case ContentType.Handshake:
            case ContentType.Alert:
            case ContentType.ChangeCipherSpec:
                if (length == 0) throw TlsException.Unexpected($"received an empty {outerType} record");
                type = outerType;
                payload = body;
                return true;
            default:
                throw TlsException.Unexpected($"received a record of unknown content type {(byte)outerType}");
        }
    }

    private static bool CheckInner(ContentType inner, int innerLength)
    {
        if (inner is ContentType.ChangeCipherSpec or ContentType.Invalid || (byte)inner > 23)
            throw TlsException.Unexpected($"a protected record carried content type {(byte)inner}");
        if (innerLength == 0 && inner != ContentType.ApplicationData)
            throw TlsException.Unexpected($"received an empty protected {inner} record");
        return true;
    }

    /// <summary>Gives a useful error when the peer is not speaking TLS at all (plain HTTP, SSLv2).</summary>
    private void CheckLooksLikeTls(ReadOnlySpan<byte> buffered)
    {
        var first = buffered[0];
        if (first is >= 20 and <= 23 && (buffered.Length < 2 || buffered[1] == 3)) return;
        if (_receivedAnyRecord && first is >= 20 and <= 23) return;
        if (!_receivedAnyRecord && (first & 0x80) != 0)
            throw new TlsException(AlertDescription.ProtocolVersion, "the peer sent an SSL 2.0-style hello; SSL 2.0 and 3.0 are not supported");
        var sample = buffered[..Math.Min(buffered.Length, 16)];
        var printable = true;
        foreach (var b in sample) printable &= b is >= 0x20 and < 0x7f or (byte)'\r' or (byte)'\n';
        if (printable && buffered.Length >= 3)
            throw TlsException.Unexpected($"the peer is not speaking TLS: it sent plain text \"{Encoding.ASCII.GetString(sample).TrimEnd('\r', '\n')}\"");
        if (buffered.Length >= 2)
            throw TlsException.Unexpected($"the peer is not speaking TLS: record starts with 0x{first:x2} 0x{buffered[1]:x2}");
    }

    /// <summary>Queues a handshake message; it is written when the flight is flushed or the write key changes.</summary>
    public void QueueHandshake(ReadOnlySpan<byte> message) => _pendingHandshake.Append(message);

    public void FlushHandshake()
    {
        if (_pendingHandshake.IsEmpty) return;
        WriteRecord(ContentType.Handshake, _pendingHandshake.Readable);
        _pendingHandshake.Clear();
    }

    /// <summary>The middlebox-compatibility ChangeCipherSpec (RFC 8446 Appendix D.4), always in plaintext.</summary>
    public void WriteChangeCipherSpec()
    {
        FlushHandshake();
        var s = _out.GetWriteSpan(6);
        s[0] = (byte)ContentType.ChangeCipherSpec;
        s[1] = 0x03;
        s[2] = 0x03;
        s[3] = 0;
        s[4] = 1;
        s[5] = 1;
    }

    public void WriteAlert(AlertLevel level, AlertDescription description)
    {
        FlushHandshake();
        ReadOnlySpan<byte> body = [(byte)level, (byte)description];
        WriteRecord(ContentType.Alert, body);
    }

    public void WriteRecord(ContentType type, ReadOnlySpan<byte> data)
    {
        if (type != ContentType.Handshake) FlushHandshake();
        do
        {
            var n = Math.Min(data.Length, MaxSendFragment);
            var fragment = data[..n];
            if (_write != null)
            {
                var reserve = n + _write.MaxOverhead;
                var span = _out.GetWriteSpan(reserve);
                var written = _write.Seal(type, fragment, span);
                _out.Unwrite(reserve - written);
            }
            else
            {
                var span = _out.GetWriteSpan(HeaderLength + n);
                span[0] = (byte)type;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], PlaintextRecordVersion);
                BinaryPrimitives.WriteUInt16BigEndian(span[3..], (ushort)n);
                fragment.CopyTo(span[HeaderLength..]);
            }
            data = data[n..];
        }
        while (!data.IsEmpty);
    }

    /// <summary>Gives the empty buffers' arrays back to the pool (an idle connection waiting for its peer); see <see cref="ByteBuffer.Trim"/>.</summary>
    /// <summary>Bytes of pooled arrays held by the three buffers.</summary>
    public int HeldBufferBytes => _in.Capacity + _out.Capacity + _pendingHandshake.Capacity;

    public void Trim()
    {
        _in.Trim();
        _out.Trim();
        _pendingHandshake.Trim();
    }

    public void Dispose()
    {
        _read?.Dispose();
        _write?.Dispose();
        _in.Dispose();
        _out.Dispose();
        _pendingHandshake.Dispose();
    }
}
