using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Records;
using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>
/// Sits on one direction of an in-memory TLS 1.3 session and rewrites its protected records: each record the sender
/// seals is opened with the sender's traffic secret (from <see cref="SecretCapture"/>), the input's edits for that
/// record index are applied to the plaintext, and what results is sealed again for the receiver. Plaintext records
/// (ClientHello, ServerHello, change_cipher_spec) pass untouched; the raw connection targets fuzz those.
/// The sender's keys follow what it sent (its Finished moves it to application keys, its KeyUpdate to the next
/// ones); the resealing keys follow what was delivered, so an inserted KeyUpdate is honoured on both ends.
/// </summary>
internal sealed class RecordRewriter : IDisposable
{
    /// <summary>Plaintext kept from one edit: beyond a record's maximum, so record_overflow is reachable, below the uint16 length.</summary>
    private const int MaxContent = 16384 + 512;

    private static readonly CipherSuiteInfo Suite = CipherSuiteInfo.Aes128GcmSha256;
    private readonly SecretCapture _secrets;
    private readonly string _handshakeLabel;
    private readonly string _applicationLabel;
    private readonly Dictionary<int, List<RecordEdit>> _edits = [];
    private readonly List<(ContentType Type, byte[] Plaintext)>? _seen;
    private readonly ArrayBufferWriter<byte> _pending = new();
    private TrafficKeys? _opener;
    private TrafficKeys? _sealer;
    private int _index;
    private bool _lost;

    /// <param name="fromClient">Which side sends on this direction (its secrets' labels).</param>
    /// <param name="edits">What to do to which protected record.</param>
    /// <param name="seen">When not null, receives every protected record's original content type and plaintext (for seeds).</param>
    public RecordRewriter(bool fromClient, SecretCapture secrets, IEnumerable<RecordEdit> edits, List<(ContentType, byte[])>? seen = null)
    {
        _secrets = secrets;
        _handshakeLabel = fromClient ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET" : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
        _applicationLabel = fromClient ? "CLIENT_TRAFFIC_SECRET_0" : "SERVER_TRAFFIC_SECRET_0";
        foreach (var edit in edits)
        {
            if (!_edits.TryGetValue(edit.Index, out var list)) _edits[edit.Index] = list = [];
            list.Add(edit);
        }
        _seen = seen;
    }

    /// <summary>Takes what the sender wrote and appends what the receiver gets to <paramref name="delivered"/>.</summary>
    public void Forward(ReadOnlySpan<byte> sent, ArrayBufferWriter<byte> delivered)
    {
        _pending.Write(sent);
        var buffered = _pending.WrittenSpan;
        var at = 0;
        while (buffered.Length - at >= 5)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffered.Slice(at + 3, 2));
            if (buffered.Length - at < 5 + length) break;
            Rewrite(buffered.Slice(at, 5 + length), delivered);
            at += 5 + length;
        }
        var rest = buffered[at..].ToArray();
        _pending.Clear();
        _pending.Write(rest);
    }

    private void Rewrite(ReadOnlySpan<byte> record, ArrayBufferWriter<byte> delivered)
    {
        if (_lost || (ContentType)record[0] != ContentType.ApplicationData || _secrets.Find(_handshakeLabel) is not { } handshakeSecret)
        {
            delivered.Write(record);
            return;
        }
        _opener ??= new TrafficKeys(handshakeSecret, application: false);
        _sealer ??= new TrafficKeys(handshakeSecret, application: false);
        var payload = record[5..].ToArray();
        ContentType type;
        byte[] plaintext;
        try
        {
            var (t, offset, length) = _opener.Protection.Open(record[..5], payload);
            (type, plaintext) = (t, payload.AsSpan(offset, length).ToArray());
        }
        catch (TlsException)
        {
            // The sender's keys are no longer what this rewriter thinks (an edit upset the handshake): stop rewriting.
            _lost = true;
            delivered.Write(record);
            return;
        }
        _seen?.Add((type, plaintext));
        _opener = Advance(_opener, type, plaintext);

        var keep = true;
        foreach (var edit in _edits.GetValueOrDefault(_index) ?? [])
        {
            var data = edit.Data.AsSpan(0, Math.Min(edit.Data.Length, MaxContent));
            switch (edit.Kind)
            {
                case RecordEditKind.Insert when data.Length > 0:
                    Seal((ContentType)data[0], data[1..], delivered);
                    break;
                case RecordEditKind.Replace when keep:
                    plaintext = data.ToArray();
                    break;
                case RecordEditKind.Retype when keep && data.Length > 0:
                    (type, plaintext) = ((ContentType)data[0], data[1..].ToArray());
                    break;
                case RecordEditKind.Drop:
                    keep = false;
                    break;
            }
        }
        if (keep) Seal(type, plaintext, delivered);
        _index++;
    }

    private void Seal(ContentType type, ReadOnlySpan<byte> plaintext, ArrayBufferWriter<byte> delivered)
    {
        var record = delivered.GetSpan(plaintext.Length + _sealer!.Protection.MaxOverhead);
        delivered.Advance(_sealer.Protection.Seal(type, plaintext, record));
        _sealer = Advance(_sealer, type, plaintext);
    }

    /// <summary>The sender's or receiver's keys after a record: Finished ends the handshake keys, KeyUpdate moves on (RFC 8446 §4.6.3, §7.2).</summary>
    private TrafficKeys Advance(TrafficKeys keys, ContentType type, ReadOnlySpan<byte> plaintext)
    {
        if (type != ContentType.Handshake) return keys;
        var next = keys;
        foreach (var m in HandshakeMessages.In(plaintext))
        {
            var message = m.Type;
            if (message == HandshakeType.Finished && !next.Application && _secrets.Find(_applicationLabel) is { } application)
                next = new TrafficKeys(application, application: true);
            else if (message == HandshakeType.KeyUpdate && next.Application)
                next = new TrafficKeys(Hkdf13.ExpandLabel(Suite.Hash, next.Secret, "traffic upd", [], Suite.HashLength), application: true);
        }
        if (!ReferenceEquals(next, keys)) keys.Dispose();
        return next;
    }

    public void Dispose()
    {
        _opener?.Dispose();
        _sealer?.Dispose();
    }

    private sealed class TrafficKeys(byte[] secret, bool application) : IDisposable
    {
        public byte[] Secret { get; } = secret.ToArray();
        public bool Application { get; } = application;
        public Tls13RecordProtection Protection { get; } = new(Suite, secret);

        public void Dispose()
        {
            Protection.Dispose();
            CryptographicOperations.ZeroMemory(Secret);
        }
    }
}
