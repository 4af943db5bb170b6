using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Handshake;
using Tessera.Handshake.Client13;
using Tessera.Handshake.Server13;
using Tessera.KeySchedule;
using Tessera.Records;
using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>
/// A TLS connection with no I/O of its own (sans-IO): feed it the bytes that arrive with
/// <see cref="ReceiveTls"/>, send the bytes it produces (<see cref="PendingOutput"/>/<see cref="ConsumeOutput"/>),
/// and exchange plaintext with <see cref="Write"/> and <see cref="Read"/>. Not thread-safe: one caller at a time.
/// </summary>
public sealed class TlsConnection : IDisposable
{
    private readonly RecordLayer _records = new();
    private readonly HandshakeReassembler _reassembler;
    private readonly ByteBuffer _plaintext = new(16 * 1024);
    private readonly bool _tracing;
    private List<HandshakeEvent>? _events;
    private readonly long _started;
    private IHandshakeState _state = null!;
    private TlsException? _failure;
    private bool _alertSent;
    private CipherSuiteInfo? _suite;
    // Set when the handshake completes: it owns every secret that outlives the handshake (IConnectedState).
    private IConnectedState? _connected;
    // The handshake in progress; its secrets are zeroed if the connection is disposed before it completes.
    private IHandshakeContext? _handshake;
    private bool _disposed;

    private TlsConnection(TlsOptions options, bool isServer)
    {
        Options = options;
        CryptoProvider = options.Crypto;
        IsServer = isServer;
        _reassembler = new HandshakeReassembler(options.MaxHandshakeMessageLength);
        _tracing = options.RecordHandshakeEvents || options.OnHandshakeEvent is not null;
        _started = options.TimeProvider.GetTimestamp();
        HandshakeDeadline = options.TimeProvider.GetUtcNow() + options.HandshakeTimeout;
    }

    /// <summary>Creates a client and queues its ClientHello.</summary>
    /// <param name="options">The client's settings; connections made with the same object share its session store, so they resume each other's sessions.</param>
    /// <param name="serverName">The name to verify the server's certificate against and to send as SNI (IP literals are verified but not sent).</param>
    public static TlsConnection CreateClient(TlsClientOptions options, string? serverName) => CreateClient(options, serverName, default);

    /// <summary>
    /// Creates a client that sends <paramref name="earlyData"/> as 0-RTT data with its ClientHello when a stored
    /// ticket allows it (RFC 8446 §2.3). Early data can be replayed by an attacker: send only requests that are safe
    /// to repeat. <see cref="EarlyDataAccepted"/> says what the server did; rejected data must be sent again.
    /// </summary>
    public static TlsConnection CreateClient(TlsClientOptions options, string? serverName, ReadOnlySpan<byte> earlyData)
    {
        options.Validate();
        var c = new TlsConnection(options, isServer: false);
        c.ServerName = serverName;
        c._records.PlaintextRecordVersion = 0x0301; // RFC 8446 §5.1: the first ClientHello may use 0x0301 for compatibility
        var early = earlyData.ToArray();
        // Guard's pattern written out: a closure here would be allocated for every connection.
        try
        {
            c._state = new ClientHandshake13(c, options, serverName, early).Start();
            c._records.FlushHandshake();
        }
        catch (Exception e) when (c.AsTlsFailure(e) is { } failure)
        {
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }
        return c;
    }

    /// <summary>Creates a server that waits for a ClientHello.</summary>
    /// <param name="options">The server's settings; validated here, so a bad configuration fails before any peer is involved.</param>
    public static TlsConnection CreateServer(TlsServerOptions options)
    {
        options.Validate();
        var c = new TlsConnection(options, isServer: true);
        c._state = new ExpectClientHello(new ServerHandshake13(c, options));
        return c;
    }

    internal TlsOptions Options { get; }

    /// <summary>The crypto provider this connection's key exchanges, record keys and key schedule use (fixed at creation).</summary>
    public CryptoProvider CryptoProvider { get; }
    /// <summary>True for a server, false for a client.</summary>
    public bool IsServer { get; }
    /// <summary>True once both Finished messages are verified: application data may flow.</summary>
    public bool IsHandshakeComplete { get; private set; }
    /// <summary>When an unfinished handshake fails with a timeout (creation time plus the options' handshake timeout).</summary>
    public DateTimeOffset HandshakeDeadline { get; }
    /// <summary>How long the handshake took, by the options' clock; null until it completes.</summary>
    public TimeSpan? HandshakeDuration { get; private set; }

    /// <summary>True once the peer sent close_notify: no more data will arrive.</summary>
    public bool IsPeerClosed { get; private set; }

    /// <summary>True once this side sent close_notify.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>The failure that ended this connection, if any.</summary>
    public TlsException? Failure => _failure;

    /// <summary>TLS 1.3 or TLS 1.2 once the ServerHello is processed; null before.</summary>
    public ProtocolVersion? NegotiatedVersion { get; private set; }
    /// <summary>The negotiated cipher suite; null before the ServerHello.</summary>
    public CipherSuite? CipherSuite => _suite?.Suite;
    /// <summary>The (EC)DHE group of the key exchange; null for a PSK-only resumption or before the ServerHello.</summary>
    public NamedGroup? KeyExchangeGroup { get; private set; }
    /// <summary>The scheme the peer signed the handshake with; null when it did not sign (resumption, or a client without a certificate).</summary>
    public SignatureScheme? PeerSignatureScheme { get; internal set; }
    /// <summary>The ALPN protocol both sides agreed on (RFC 7301), or null.</summary>
    public string? ApplicationProtocol { get; internal set; }
    /// <summary>Client: the name it verified and sent as SNI. Server: the SNI name the client sent, or null.</summary>
    public string? ServerName { get; internal set; }
    /// <summary>The chain the peer sent, leaf first (a <see cref="Certificates.PeerCertificateChain"/>, loaded lazily); empty when it sent none.</summary>
    public IReadOnlyList<X509Certificate2> PeerCertificates { get; internal set; } = [];
    /// <summary>The credential this side authenticated with, or null.</summary>
    public TlsCredential? LocalCertificate { get; internal set; }

    /// <summary>The peer's certificate arrived compressed (RFC 8879, TLS 1.3): how, and the bytes saved; null otherwise.</summary>
    public CertificateCompressionResult? ReceivedCertificateCompression { get; internal set; }

    /// <summary>This side's certificate was sent compressed (RFC 8879, TLS 1.3): how, and the bytes saved; null otherwise.</summary>
    public CertificateCompressionResult? SentCertificateCompression { get; internal set; }
    /// <summary>True when the server sent a HelloRetryRequest (RFC 8446 §4.1.4): one extra round trip.</summary>
    public bool HelloRetryRequested { get; internal set; }

    /// <summary>
    /// True when the keys are bound to the handshake transcript: always in TLS 1.3, and in TLS 1.2 when both sides
    /// used the extended master secret (RFC 7627). A TLS 1.2 connection without it is not resumable and has no exporters.
    /// </summary>
    public bool ExtendedMasterSecret { get; private set; } = true;
    /// <summary>True when the handshake resumed an earlier session (a TLS 1.3 PSK, a TLS 1.2 ticket or session ID).</summary>
    public bool WasResumed { get; internal set; }

    /// <summary>Null when no 0-RTT data was offered; otherwise whether the server accepted it.</summary>
    public bool? EarlyDataAccepted { get; internal set; }

    /// <summary>Server: bytes of application data that arrived as 0-RTT early data (they come first in <see cref="Read"/>).</summary>
    public long EarlyDataReceived { get; private set; }

    private long _maxEarlyData;
    private bool _serverMayWrite;
    /// <summary>
    /// The trace: every handshake message, record-level event and key change, in order, with decoded fields and times.
    /// Kept only when <see cref="TlsOptions.RecordHandshakeEvents"/> is set (or an <see cref="TlsOptions.OnHandshakeEvent"/>
    /// callback is); otherwise empty, so a connection nobody inspects pays nothing for it.
    /// </summary>
    public IReadOnlyList<HandshakeEvent> HandshakeEvents => (IReadOnlyList<HandshakeEvent>?)_events ?? [];

    /// <summary>What the handshake is waiting for, for error messages and traces.</summary>
    public string State => _failure is not null ? "failed" : _state.Expecting;

    /// <summary>
    /// What was negotiated, by the IANA names (RFC 8446 registries), e.g. "TLS 1.3 TLS_AES_128_GCM_SHA256
    /// X25519MLKEM768, ALPN h2, resumed"; before the handshake completes, the state it is in.
    /// </summary>
    public override string ToString()
    {
        if (NegotiatedVersion is not { } version || CipherSuite is not { } suite) return $"TLS connection ({State})";
        var text = new System.Text.StringBuilder()
            .Append(TlsNames.OfVersion((ushort)version)).Append(' ').Append(TlsNames.Of(suite));
        if (KeyExchangeGroup is { } group) text.Append(' ').Append(TlsNames.Of(group));
        if (ApplicationProtocol is { } alpn) text.Append(", ALPN ").Append(Diagnostics.PeerText.Clip(alpn));
        if (WasResumed) text.Append(", resumed");
        if (HelloRetryRequested) text.Append(", after a HelloRetryRequest");
        return text.ToString();
    }

    internal byte[] ClientRandom { get; set; } = [];

    /// <summary>What a client offered (versions, suites, groups), to explain a server's refusal of its ClientHello.</summary>
    /// <remarks>A function, so the summary is only built when a refusal needs explaining, not on every handshake.</remarks>
    internal Func<string>? OfferSummary { get; set; }

    private static string ExplainRefusal(AlertDescription alert) => alert switch
    {
        AlertDescription.ProtocolVersion => "it speaks none of the protocol versions this client allows (Tessera speaks TLS 1.2 and 1.3 only)",
        AlertDescription.HandshakeFailure or AlertDescription.InsufficientSecurity =>
            "it shares no cipher suite, group or signature scheme with this client (Tessera offers only ECDHE with AEAD suites: no CBC, RC4, 3DES or RSA key exchange)",
        AlertDescription.InappropriateFallback => "it saw a fallback signal while supporting a newer version",
        _ => "it could not accept it",
    };
    internal ReadOnlySpan<byte> ResumptionMasterSecretForTests => _connected is Connected13 c ? c.ResumptionSecretForTests : default;
    internal DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    // ------------------------------------------------------------------ bytes in / out

    /// <summary>
    /// Takes bytes received from the peer, processes every complete record, and queues any response.
    /// Throws <see cref="TlsException"/> on a protocol failure (after queuing the alert to send).
    /// </summary>
    public void ReceiveTls(ReadOnlySpan<byte> data)
    {
        ThrowIfFailed();
        if (IsPeerClosed) return; // RFC 8446 §6.1: data after close_notify is ignored
        _records.AddIncoming(data);
        try
        {
            ProcessRecords();
        }
        catch (Exception e) when (AsTlsFailure(e) is { } failure)
        {
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }
    }

    /// <summary>Ciphertext waiting to be sent.</summary>
    public ReadOnlySpan<byte> PendingOutput => _records.Output.Readable;
    /// <summary>True when ciphertext is waiting to be sent.</summary>
    public bool HasPendingOutput => !_records.Output.IsEmpty;
    /// <summary>Marks the first <paramref name="count"/> bytes of <see cref="PendingOutput"/> as sent.</summary>
    public void ConsumeOutput(int count) => _records.Output.Consume(count);

    /// <summary>Copies pending ciphertext into <paramref name="destination"/> and returns the count.</summary>
    public int DrainTls(Span<byte> destination) => _records.Output.CopyTo(destination);

    /// <summary>Moves all pending ciphertext into <paramref name="destination"/>.</summary>
    public void DrainTls(IBufferWriter<byte> destination)
    {
        var pending = _records.Output.Readable;
        destination.Write(pending);
        _records.Output.Consume(pending.Length);
    }

    /// <summary>Bytes of decrypted application data ready for <see cref="Read"/>.</summary>
    public int AvailablePlaintext => _plaintext.Length;

    /// <summary>Application data received from the peer so far (plaintext bytes, early data included).</summary>
    public long ApplicationBytesReceived { get; private set; }

    /// <summary>Application data encrypted for the peer so far by <see cref="Write"/> (plaintext bytes; a client's 0-RTT data is not included).</summary>
    public long ApplicationBytesSent { get; private set; }

    /// <summary>
    /// Gives the buffers that are empty back to the shared pool, so that a connection waiting for its peer holds no
    /// record-sized arrays (the next record rents them again). For a transport that can wait for data without a
    /// buffer; <see cref="TlsStream"/> calls it before such a wait on a socket. Not while a span from this connection is in use.
    /// </summary>
    public void TrimBuffers()
    {
        if (_disposed) return;
        _records.Trim();
        _reassembler.Trim();
        _plaintext.Trim();
    }

    /// <summary>Bytes of pooled buffer arrays this connection holds now (tests and memory diagnostics).</summary>
    internal int HeldBufferBytes => _records.HeldBufferBytes + _reassembler.HeldBufferBytes + _plaintext.Capacity;

    /// <summary>Copies decrypted application data into <paramref name="destination"/> and returns the count (0 when none is ready).</summary>
    public int Read(Span<byte> destination) => _plaintext.CopyTo(destination);

    /// <summary>Encrypts application data into the output. Large writes become several records.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfFailed();
        if (!IsHandshakeComplete && !_serverMayWrite) throw new InvalidOperationException("cannot write application data before the handshake completes");
        if (IsClosed) throw new InvalidOperationException("cannot write after close_notify was sent");
        try
        {
            while (!data.IsEmpty)
            {
                var n = Math.Min(data.Length, RecordLayer.MaxPlaintext);
                _records.WriteRecord(ContentType.ApplicationData, data[..n]);
                ApplicationBytesSent += n;
                data = data[n..];
                // RFC 8446 §5.5: a TLS 1.3 key is retired before its record limit (TLS 1.2 limits are out of reach).
                if (_records.WriteKeyNeedsUpdate && _connected is Connected13 connected) connected.UpdateWriteKey(requestPeer: false);
            }
        }
        catch (Exception e) when (AsTlsFailure(e) is { } failure)
        {
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }
    }

    /// <summary>Queues close_notify. Reading may continue until the peer closes too.</summary>
    public void Close()
    {
        if (IsClosed || _failure is not null) return;
        IsClosed = true;
        _records.WriteAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
        _records.FlushHandshake();
        Trace(HandshakeEventKind.Alert, TraceDirection.Sent, "Alert close_notify", null, 2, []);
    }

    /// <summary>Sends KeyUpdate (RFC 8446 §4.6.3) and moves to the next write key; optionally asks the peer to do the same.</summary>
    public void RequestKeyUpdate(bool requestPeerUpdate = true)
    {
        ThrowIfFailed();
        if (!IsHandshakeComplete || NegotiatedVersion != ProtocolVersion.Tls13)
            throw new InvalidOperationException("KeyUpdate needs a completed TLS 1.3 handshake");
        var connected = (Connected13)_connected!;
        Guard(() => connected.UpdateWriteKey(requestPeerUpdate));
        _records.FlushHandshake();
    }

    /// <summary>
    /// RFC 8446 §7.5 exporter (RFC 5705 interface). In TLS 1.2 an empty <paramref name="context"/> means "no
    /// context" (RFC 5705 §4), which is what protocols built on TLS 1.2 exporters expect.
    /// </summary>
    public byte[] ExportKeyingMaterial(string label, ReadOnlySpan<byte> context, int length)
    {
        ThrowIfFailed();
        if (!IsHandshakeComplete) throw new InvalidOperationException("keying material can be exported only after the handshake");
        // RFC 7627 §5.4: without the extended master secret the same keying material can be forced into two
        // connections (triple handshake), so exporters would not identify this one.
        if (NegotiatedVersion == ProtocolVersion.Tls12 && !ExtendedMasterSecret)
            throw new InvalidOperationException("keying material cannot be exported from a TLS 1.2 connection without the extended master secret (RFC 7627 §5.4)");
        return _connected!.Export(label, context, length);
    }

    /// <summary>Fails the handshake if its deadline has passed; adapters call this from their timers.</summary>
    public void CheckHandshakeTimeout()
    {
        if (IsHandshakeComplete || _failure is not null) return;
        if (Now >= HandshakeDeadline)
            Fail(new TlsException(AlertDescription.HandshakeFailure,
                $"the handshake did not complete within {Options.HandshakeTimeout.TotalSeconds:0.#} s ({State})"));
        ThrowIfFailed();
    }

    /// <summary>Fails the connection from outside (e.g. the transport closed); queues the alert if one applies.</summary>
    public void Abort(TlsException reason)
    {
        if (_failure is null) Fail(reason);
    }

    // ------------------------------------------------------------------ record processing

    private void ProcessRecords()
    {
        while (!IsPeerClosed && _records.TryReadRecord(out var type, out var payload))
        {
            // RFC 8446 §5.1: a handshake message split over records has no other record between its fragments
            // (before any of them is acted on: an alert or data between the halves of a KeyUpdate is an attack, not a close).
            if (type != ContentType.Handshake && !_reassembler.IsEmpty)
                throw TlsException.Unexpected(
                    $"received {RecordName(type)} between the fragments of a {HandshakeNames.Of(_reassembler.PendingType)} message; handshake messages must not be interleaved with other records");
            switch (type)
            {
                case ContentType.Handshake:
                    _reassembler.Add(payload);
                    // A trace decodes messages after the fact (Describer), so it gets copies it may keep.
                    while (_reassembler.TryTake(pooled: !_tracing, out var message))
                    {
                        try { Dispatch(message!); }
                        finally { message!.Release(); }
                    }
                    break;
                case ContentType.ApplicationData:
                    if (!IsHandshakeComplete)
                    {
                        if (_state is not IAcceptsEarlyData) throw TlsException.Unexpected($"received application data while {State}");
                        // RFC 8446 §4.2.10: more early data than the ticket allowed is unexpected_message.
                        EarlyDataReceived += payload.Length;
                        if (EarlyDataReceived > _maxEarlyData)
                            throw TlsException.Unexpected($"the client sent more than {_maxEarlyData} bytes of early data");
                    }
                    _plaintext.Append(payload);
                    ApplicationBytesReceived += payload.Length;
                    break;
                case ContentType.Alert:
                    OnAlert(payload);
                    break;
                case ContentType.ChangeCipherSpec:
                    OnChangeCipherSpec(payload);
                    break;
            }
        }
        _records.FlushHandshake();
    }

    private static string RecordName(ContentType type) => type switch
    {
        ContentType.ApplicationData => "an application-data record",
        ContentType.Alert => "an alert",
        ContentType.ChangeCipherSpec => "a ChangeCipherSpec record",
        _ => $"a record of type {(byte)type}",
    };

    private void OnChangeCipherSpec(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 1 || payload[0] != 1)
            throw TlsException.Unexpected("received a malformed ChangeCipherSpec record");
        // TLS 1.2 (RFC 5246 §7.1): ChangeCipherSpec switches the read keys, and only where the state expects it.
        if (_state is IExpectChangeCipherSpec expecting)
        {
            if (!_reassembler.IsEmpty) throw TlsException.Unexpected("ChangeCipherSpec arrived in the middle of a handshake message");
            Trace(HandshakeEventKind.ChangeCipherSpec, TraceDirection.Received, "ChangeCipherSpec", null, 1, []);
            _state = expecting.OnChangeCipherSpec();
            return;
        }
        if (NegotiatedVersion == ProtocolVersion.Tls12)
            throw TlsException.Unexpected($"received ChangeCipherSpec while {State}");
        // RFC 8446 §5: a single 0x01 between the first ClientHello and Finished is dropped; anything else is unexpected_message.
        if (IsHandshakeComplete || (IsServer && _state is ExpectClientHello { } && !HelloRetryRequested))
            throw TlsException.Unexpected("received a ChangeCipherSpec record where none may appear");
        Trace(HandshakeEventKind.ChangeCipherSpec, TraceDirection.Received, "ChangeCipherSpec (compatibility)", null, 1, []);
    }

    private void Dispatch(HandshakeMessage message)
    {
        if (_tracing)
            Trace(HandshakeEventKind.Message, TraceDirection.Received, HandshakeNames.Of(message.Type), message.Type, message.Length,
                Describer(message));
        var epoch = _records.ReadKeyEpoch;
        _state = _state.Handle(message);
        // RFC 8446 §5.1: handshake messages MUST NOT span a key change.
        if (_records.ReadKeyEpoch != epoch && !_reassembler.IsEmpty)
            throw TlsException.Unexpected($"data followed {HandshakeNames.Of(message.Type)} in the same record across a key change");
    }

    private void OnAlert(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 2) throw TlsException.DecodeError($"alert record of {payload.Length} bytes");
        var description = (AlertDescription)payload[1];
        if (_tracing) Trace(HandshakeEventKind.Alert, TraceDirection.Received, $"Alert {TlsException.Describe(description)}", null, 2, []);
        if (description == AlertDescription.CloseNotify)
        {
            if (!IsHandshakeComplete)
                throw new TlsException(AlertDescription.CloseNotify, $"the peer closed the connection during the handshake ({State})", isFromPeer: true);
            IsPeerClosed = true;
            return;
        }
        // RFC 8446 §6.1: user_canceled is followed by close_notify; every other alert is fatal.
        if (description == AlertDescription.UserCanceled && (AlertLevel)payload[0] == AlertLevel.Warning) return;
        // TLS 1.2 lets warning alerts be ignored; some servers send unrecognized_name as a warning when SNI
        // matches none of their names (RFC 6066 §3). TLS 1.3 treats every other alert as fatal.
        if (description == AlertDescription.UnrecognizedName && (AlertLevel)payload[0] == AlertLevel.Warning && NegotiatedVersion != ProtocolVersion.Tls13) return;
        // RFC 5246 §7.2.2: no_renegotiation is always a warning, the answer to a renegotiation Tessera never starts,
        // so after a TLS 1.2 handshake it is ignored as a warning may be.
        if (description == AlertDescription.NoRenegotiation && (AlertLevel)payload[0] == AlertLevel.Warning && IsHandshakeComplete && NegotiatedVersion == ProtocolVersion.Tls12) return;
        if (!IsServer && NegotiatedVersion is null && OfferSummary is { } offered)
            throw new TlsException(description,
                $"the server refused the ClientHello with alert {TlsException.Describe(description)}: {ExplainRefusal(description)}; this client offered {offered()}",
                isFromPeer: true);
        throw TlsException.FromPeer(description);
    }

    // ------------------------------------------------------------------ for the handshake states

    /// <summary>Queues a message written in place (<paramref name="framed"/>, header included); a trace gets a copy to describe.</summary>
    internal void SendHandshake(HandshakeType type, ReadOnlySpan<byte> framed)
    {
        _records.QueueHandshake(framed);
        if (_tracing)
        {
            var copy = new HandshakeMessage(type, framed.ToArray());
            Trace(HandshakeEventKind.Message, TraceDirection.Sent, HandshakeNames.Of(type), type, copy.Length, Describer(copy));
        }
    }

    internal void SendHandshake(HandshakeMessage message)
    {
        _records.QueueHandshake(message.Span);
        if (_tracing)
            Trace(HandshakeEventKind.Message, TraceDirection.Sent, HandshakeNames.Of(message.Type), message.Type, message.Length,
                Describer(message));
    }

    internal void SendChangeCipherSpec()
    {
        _records.WriteChangeCipherSpec();
        var name = NegotiatedVersion == ProtocolVersion.Tls12 ? "ChangeCipherSpec" : "ChangeCipherSpec (compatibility)";
        Trace(HandshakeEventKind.ChangeCipherSpec, TraceDirection.Sent, name, null, 1, []);
    }

    /// <summary>A warning-level alert that does not end the connection (TLS 1.2 no_renegotiation).</summary>
    internal void SendWarningAlert(AlertDescription description)
    {
        _records.WriteAlert(AlertLevel.Warning, description);
        if (_tracing) Trace(HandshakeEventKind.Alert, TraceDirection.Sent, $"Alert {TlsException.Describe(description)} (warning)", null, 2, []);
    }

    internal void SetReadKeys12(CipherSuiteInfo suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, string what)
    {
        _records.SetReadProtection(new Tls12RecordProtection(suite, key, iv, CryptoProvider, sealing: false));
        if (_tracing) Trace(HandshakeEventKind.KeysChanged, TraceDirection.Received, $"reading with {what}", null, 0, []);
    }

    internal void SetWriteKeys12(CipherSuiteInfo suite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, string what)
    {
        _records.SetWriteProtection(new Tls12RecordProtection(suite, key, iv, CryptoProvider, sealing: true));
        if (_tracing) Trace(HandshakeEventKind.KeysChanged, TraceDirection.Sent, $"writing with {what}", null, 0, []);
    }

    internal void SetPlaintextRecordVersion(ushort version)
    {
        _records.FlushHandshake();
        _records.PlaintextRecordVersion = version;
    }

    /// <summary>Server: 0-RTT data was refused (or a HelloRetryRequest was sent); skip what the client already sent (RFC 8446 §4.2.10).</summary>
    internal void RejectEarlyData()
    {
        EarlyDataAccepted = false;
        // The client may send up to the ticket's max_early_data_size; a generous fixed bound covers tickets from other configurations.
        _records.EarlyDataSkipBudget = 64 * 1024;
        Trace(HandshakeEventKind.KeysChanged, TraceDirection.Received, "early data rejected: skipping it", null, 0, []);
    }

    /// <summary>
    /// Server: the second ClientHello after a HelloRetryRequest arrived. The rejected 0-RTT records came before it (the
    /// client sent them with its first flight), so from here a record that does not open is bad_record_mac again.
    /// </summary>
    internal void EndEarlyDataSkip() => _records.EarlyDataSkipBudget = 0;

    /// <summary>Client: the server's EncryptedExtensions did not accept the early data; it must be sent again.</summary>
    internal void NoteEarlyDataRejected()
    {
        EarlyDataAccepted = false;
        Trace(HandshakeEventKind.KeysChanged, TraceDirection.Received, "early data rejected by the server (it will be sent again)", null, 0, []);
    }

    /// <summary>Server: 0-RTT accepted; the client's records are read with its early keys until EndOfEarlyData.</summary>
    internal void AcceptEarlyData(CipherSuiteInfo suite, byte[] clientEarlySecret, uint maxEarlyData)
    {
        EarlyDataAccepted = true;
        _maxEarlyData = maxEarlyData;
        SetReadKeys(suite, clientEarlySecret, "client early keys (0-RTT accepted)");
    }

    /// <summary>Server: application write keys are installed, so 0.5-RTT data may be sent before the client's Finished.</summary>
    internal void ServerMayWriteEarly() => _serverMayWrite = IsServer;

    /// <summary>Client: protects 0-RTT data under the early keys already installed (RFC 8446 §2.3).</summary>
    internal void WriteEarlyData(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, RecordLayer.MaxPlaintext);
            _records.WriteRecord(ContentType.ApplicationData, data[..n]);
            data = data[n..];
        }
    }

    internal void ClearWriteKeys()
    {
        _records.SetWriteProtection(null);
        Trace(HandshakeEventKind.KeysChanged, TraceDirection.Sent, "writing in plaintext again (early data abandoned)", null, 0, []);
    }

    internal void SetReadKeys(CipherSuiteInfo suite, ReadOnlySpan<byte> secret, string what)
    {
        if (!_records.TryRekeyRead(suite, secret, CryptoProvider))
            _records.SetReadProtection(new Tls13RecordProtection(suite, secret, CryptoProvider, sealing: false));
        if (_tracing) Trace(HandshakeEventKind.KeysChanged, TraceDirection.Received, $"reading with {what}", null, 0, []);
    }

    internal void SetWriteKeys(CipherSuiteInfo suite, ReadOnlySpan<byte> secret, string what)
    {
        if (!_records.TryRekeyWrite(suite, secret, CryptoProvider))
            _records.SetWriteProtection(new Tls13RecordProtection(suite, secret, CryptoProvider, sealing: true));
        if (_tracing) Trace(HandshakeEventKind.KeysChanged, TraceDirection.Sent, $"writing with {what}", null, 0, []);
    }

    /// <summary>RFC 8449: the peer's limit counts the content-type byte in TLS 1.3.</summary>
    internal void SetPeerRecordSizeLimit(ushort limit) => _records.MaxSendFragment = Math.Min(RecordLayer.MaxPlaintext, limit - 1);

    internal void Negotiated(ProtocolVersion version, CipherSuiteInfo suite, NamedGroup? group)
    {
        NegotiatedVersion = version;
        _suite = suite;
        KeyExchangeGroup = group;
    }

    internal void NegotiatedGroup(NamedGroup group) => KeyExchangeGroup = group;

    internal void LogSecret(string label, ReadOnlySpan<byte> secret) => Options.KeyLog?.Write(label, ClientRandom, secret);

    /// <summary>
    /// The handshake is done: <paramref name="connected"/> takes over (and owns every secret that outlives the
    /// handshake). <paramref name="extendedMasterSecret"/> is TLS 1.2's RFC 7627 outcome; TLS 1.3 always binds its keys.
    /// </summary>
    internal void CompleteHandshake(IConnectedState connected, bool extendedMasterSecret = true)
    {
        _connected = connected;
        _handshake = null;
        ExtendedMasterSecret = extendedMasterSecret;
        IsHandshakeComplete = true;
        OfferSummary = null;   // only explains a refused ClientHello; it keeps the whole hello alive otherwise
        HandshakeDuration = Options.TimeProvider.GetElapsedTime(_started);
        TesseraMetrics.RecordHandshake(IsServer, NegotiatedVersion, CipherSuite, KeyExchangeGroup, WasResumed, EarlyDataAccepted, HandshakeDuration);
    }

    internal void FlushHandshake() => _records.FlushHandshake();

    /// <summary>A handshake context starts (the TLS 1.3 one, or the TLS 1.2 one that replaces it): it is the one whose secrets a dispose zeroes.</summary>
    internal void BeginHandshake(IHandshakeContext context) => _handshake = context;

    internal IHandshakeContext? HandshakeContextForTests => _handshake;

    // ------------------------------------------------------------------ failure handling

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (AsTlsFailure(e) is { } failure)
        {
            if (ReferenceEquals(failure, e)) throw;
            throw failure;
        }
    }

    /// <summary>
    /// Records a failure and says what to throw. A <see cref="TlsException"/> is the protocol speaking; any other
    /// exception out of the protocol code is a defect and is reported as internal_error rather than leaked
    /// as another type. Runs inside an exception filter so the original stack is kept for the inner exception.
    /// </summary>
    private TlsException? AsTlsFailure(Exception e)
    {
        if (e is OutOfMemoryException or ObjectDisposedException) return null;
        var failure = e as TlsException ?? TlsException.Internal($"internal error while {State}: {e.GetType().Name}: {e.Message}", e);
        Fail(failure);
        return failure;
    }

    private void Fail(TlsException e)
    {
        if (_failure is not null) return;
        _failure = e;
        // A handshake that ends without completing, for whatever reason (a transport close is close_notify here).
        if (!IsHandshakeComplete) TesseraMetrics.RecordFailure(IsServer, e.Alert, e.IsFromPeer);
        if (!e.IsFromPeer && !_alertSent && e.Alert != AlertDescription.CloseNotify)
        {
            _alertSent = true;
            _records.WriteAlert(AlertLevel.Fatal, e.Alert);
            if (_tracing) Trace(HandshakeEventKind.Alert, TraceDirection.Sent, $"Alert {TlsException.Describe(e.Alert)}", null, 2, []);
        }
    }

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) throw _failure;
    }

    /// <summary>Decodes a message's fields later, with the version known now (it decides how some messages read).</summary>
    private Func<IReadOnlyList<KeyValuePair<string, string>>> Describer(HandshakeMessage message)
    {
        var version = NegotiatedVersion;
        return () => HandshakeDescriber.Describe(message, version);
    }

    private void Trace(HandshakeEventKind kind, TraceDirection direction, string name, HandshakeType? type, int length, IReadOnlyList<KeyValuePair<string, string>> fields) =>
        Trace(kind, direction, name, type, length, fields.Count == 0 ? null : () => fields);

    /// <summary>Records one event when someone asked for the trace; call sites that format text check <c>_tracing</c> first.</summary>
    private void Trace(HandshakeEventKind kind, TraceDirection direction, string name, HandshakeType? type, int length, Func<IReadOnlyList<KeyValuePair<string, string>>>? describe)
    {
        if (!_tracing) return;
        var e = new HandshakeEvent(kind, direction, name, type, length, Options.TimeProvider.GetElapsedTime(_started), describe);
        if (Options.RecordHandshakeEvents) (_events ??= new List<HandshakeEvent>(24)).Add(e);
        Options.OnHandshakeEvent?.Invoke(e);
    }

    /// <summary>Writes one record of any type under the current write key, for tests that build hostile record sequences.</summary>
    internal void WriteRecordForTests(ContentType type, ReadOnlySpan<byte> data) => _records.WriteRecord(type, data);

/// <summary>Zeroes the connection's secrets and returns its buffers; the connection cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _connected?.Dispose();
        _handshake?.ZeroSecrets();
        if (_state is IDisposable d && !ReferenceEquals(d, _connected)) d.Dispose();
        _records.Dispose();
        _reassembler.Dispose();
        _plaintext.Dispose();
    }
}
