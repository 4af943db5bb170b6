using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// What one TLS 1.3 server handshake carries from state to state. The flow, as RFC 8446 §2 draws it:
/// <code>
///   ClientHello              ExpectClientHello → HelloRetryRequest (then ClientHello again), or
///                            ServerHello, {EncryptedExtensions}, {CertificateRequest}?, {Certificate},
///                            {CertificateVerify}, {Finished}
///   {Certificate}?           ExpectClientCertificate      (only when a certificate was requested)
///   {CertificateVerify}?     ExpectClientCertificateVerify
///   {Finished}               ExpectClientFinished
///   [application data]       Connected13
/// </code>
/// </summary>
internal sealed class ServerHandshake13 : IDisposable, IHandshakeContext
{
    public ServerHandshake13(TlsConnection connection, TlsServerOptions options)
    {
        Connection = connection;
        Transcript = new Transcript(connection.CryptoProvider);
        Options = options;
        connection.BeginHandshake(this);
    }

    public TlsConnection Connection { get; }
    public TlsServerOptions Options { get; }
    public Transcript Transcript { get; }
    /// <summary>
    /// The keys once the suite is chosen (with the early schedule of an accepted PSK). The states after the ServerHello
    /// receive them through their constructors; the context holds them only so that a failure zeroes them.
    /// </summary>
    public HandshakeKeys13? Keys { get; set; }
    public bool ChangeCipherSpecSent { get; set; }
    public IReadOnlyList<SignatureScheme> RequestedSchemes { get; set; } = [];
    public byte[]? CertificateRequestContext { get; set; }
    public Certificates.PeerCertificateChain? ClientChain { get; set; }
    private bool _ticketsSent;

    /// <summary>The client listed psk_dhe_ke, the only mode Tessera resumes with; without it tickets would be wasted.</summary>
    public bool ClientTakesTickets { get; set; }

    /// <summary>Set after a HelloRetryRequest: what the second ClientHello must match.</summary>
    public RetryState? Retry { get; set; }

    public sealed record RetryState(CipherSuiteInfo Suite, NamedGroup Group, byte[]? Cookie, byte[] SessionId);

    public void Send(HandshakeMessage message)
    {
        Transcript.Add(message);
        Connection.SendHandshake(message);
    }

    private TlsWriter? _writer;

    /// <summary>
    /// Writes a message in place — header, then the body <paramref name="writeBody"/> writes from
    /// <paramref name="state"/> (a static lambda: nothing captured) — into this handshake's one reused buffer, then
    /// adds it to the transcript (unless <paramref name="transcript"/> is false) and queues it.
    /// </summary>
    public void Send<TState>(HandshakeType type, TState state, Action<TlsWriter, TState> writeBody, bool transcript = true)
    {
        var w = _writer ??= new TlsWriter(512);
        w.Clear();
        w.WriteUInt8((byte)type);
        using (w.BeginVector(3)) writeBody(w, state);
        if (transcript) Transcript.Add(w.WrittenSpan);
        Connection.SendHandshake(type, w.WrittenSpan);
    }

    /// <summary>Finishes the handshake once the client's Finished has been checked.</summary>
    public IHandshakeState Complete(HandshakeKeys13 keys)
    {
        var secrets = keys.Application;
        keys.Schedule.ResumptionMasterSecret(Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), secrets.Resumption);
        Connection.SetReadKeys(keys.Suite, secrets.Client, "client application keys");
        if (!_ticketsSent) SendTickets(keys.Suite, secrets.Resumption);
        var connected = new Connected13(Connection, keys.Suite, keys.TakeApplicationSecrets());   // the connected state owns them from here
        Connection.CompleteHandshake(connected);
        Dispose();
        return connected;
    }

    /// <summary>
    /// RFC 8446 §4.6.1 (the note): a server that asked for no client certificate and accepted no early data knows the
    /// rest of the transcript — the client's Finished can only be the one it computes itself — so it may send its
    /// tickets right behind its own Finished instead of a round trip later (BoringSSL does; "half-RTT tickets").
    /// Why it matters: a client that closes as soon as its handshake is done (<c>openssl s_client &lt;/dev/null</c>,
    /// as testssl.sh runs it, or a short-lived HTTP client) otherwise races the tickets and often leaves without one.
    /// A client whose Finished then does not match is refused as before; the tickets it was sent are only usable by a
    /// peer that completed the key exchange, which, without client authentication, anyone may.
    /// </summary>
    public void SendTicketsWithFirstFlight(HandshakeKeys13 keys, ReadOnlySpan<byte> serverFinishedHash)
    {
        var suite = keys.Suite;
        // The client Finished this server expects, framed on the stack: only its hash is needed.
        Span<byte> clientFinished = stackalloc byte[HandshakeMessage.HeaderLength + suite.HashLength];
        clientFinished[0] = (byte)HandshakeType.Finished;
        clientFinished[3] = (byte)suite.HashLength;
        KeySchedule13.ComputeFinished(suite.Hash, keys.ClientHandshakeSecret, serverFinishedHash, clientFinished[HandshakeMessage.HeaderLength..], Connection.CryptoProvider);
        Span<byte> resumption = stackalloc byte[suite.HashLength];
        keys.Schedule.ResumptionMasterSecret(Transcript.HashWith(suite.Hash, clientFinished, stackalloc byte[Transcript.MaxHashLength]), resumption);
        CryptographicOperations.ZeroMemory(clientFinished);
        SendTickets(suite, resumption);
        CryptographicOperations.ZeroMemory(resumption);
        _ticketsSent = true;
    }

    /// <summary>
    /// RFC 8446 §4.6.1: after the client's Finished, NewSessionTickets. Each names its own PSK (derived from the
    /// resumption master secret with the ticket's nonce) and carries it sealed, with the facts a resumption must match.
    /// After a resumption at most one: the client spent one ticket and gets one back, so its supply stays level (as
    /// OpenSSL does) and a resumed handshake does not pay for tickets the client does not need.
    /// </summary>
    private void SendTickets(CipherSuiteInfo suite, ReadOnlySpan<byte> resumptionMasterSecret)
    {
        var count = Connection.WasResumed ? Math.Min(1, Options.TicketCount) : Options.TicketCount;
        // RFC 8446 §4.2.9: servers SHOULD NOT send tickets incompatible with the client's modes (none listed: none fit).
        if (Options.TicketProtector is not { } protector || count <= 0 || !ClientTakesTickets) return;
        var lifetime = (uint)Math.Clamp(Options.TicketLifetime.TotalSeconds, 1, 604800);
        var now = Connection.Now;
        // The state is written into one pooled buffer (cleared when released), the PSK derived on the stack.
        var state = new TlsWriter(128);
        Span<byte> psk = stackalloc byte[suite.HashLength];
        Span<byte> ageAddBytes = stackalloc byte[4];
        try
        {
            for (var i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> nonce = [(byte)i];
                TlsRandom.Fill(Options.Random, ageAddBytes);
                var ageAdd = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ageAddBytes);
                Hkdf13.ExpandLabel(suite.Hash, resumptionMasterSecret, "resumption", nonce, psk, Connection.CryptoProvider);
                state.Clear();
                Resumption.ServerSessionState.Write(state, ProtocolVersion.Tls13, suite.Suite, psk, now, lifetime, ageAdd, Options.MaxEarlyData,
                    Connection.ServerName, Connection.ApplicationProtocol, extendedMasterSecret: false);
                var ticket = protector.Protect(state.WrittenSpan, now);
                // RFC 8446 §4.6.1: NewSessionTicket is not part of the transcript.
                Send(HandshakeType.NewSessionTicket, (lifetime, ageAdd, Nonce: (byte)i, ticket, Options.MaxEarlyData), static (w, t) =>
                {
                    w.WriteUInt32(t.lifetime);
                    w.WriteUInt32(t.ageAdd);
                    w.WriteUInt8(1);
                    w.WriteUInt8(t.Nonce);
                    w.WriteVector16(t.ticket);
                    using (w.BeginVector(2))
                        if (t.MaxEarlyData > 0)
                            using (w.BeginExtension(ExtensionType.EarlyData)) EarlyDataExtension.WriteNewSessionTicket(w, t.MaxEarlyData);
                }, transcript: false);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(psk);
            state.Release();
        }
    }

    public void ZeroSecrets() => Keys?.Dispose();

    public void Dispose()
    {
        _writer?.Release();
        _writer = null;
        Transcript.Dispose();
        Keys?.Dispose();
    }

    internal ICertificateVerifier ClientVerifier() => Options.ResolveClientVerifier();
}
