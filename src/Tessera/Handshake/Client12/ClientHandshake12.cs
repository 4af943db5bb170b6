using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Handshake.Client13;
using Tessera.KeySchedule;
using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Handshake.Client12;

/// <summary>
/// What one TLS 1.2 client handshake carries from state to state. It starts from the ClientHello that
/// <see cref="ClientHandshake13"/> sent, when the server answers with TLS 1.2. The flow, as RFC 5246 §7.3 draws it
/// (ECDHE with AEAD suites only):
/// <code>
///   ServerHello                      OnServerHello (downgrade sentinel, EMS, renegotiation_info checked)
///   Certificate                      ExpectCertificate12
///   ServerKeyExchange                ExpectServerKeyExchange
///   CertificateRequest?              ExpectCertificateRequestOrDone
///   ServerHelloDone                  ExpectServerHelloDone → send Certificate?, ClientKeyExchange,
///                                    CertificateVerify?, [ChangeCipherSpec], Finished
///   [ChangeCipherSpec]               ExpectServerChangeCipherSpec
///   Finished                         ExpectServerFinished12
///   application data                 Connected12
/// </code>
/// </summary>
internal sealed class ClientHandshake12 : IDisposable, IHandshakeContext
{
    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.2 ServerHello.random from a server that supports TLS 1.3.</summary>
    public static ReadOnlySpan<byte> DowngradeSentinelTls12 => "DOWNGRD\x01"u8;

    /// <summary>The same for a server that negotiated TLS 1.1 or below.</summary>
    public static ReadOnlySpan<byte> DowngradeSentinelTls11 => "DOWNGRD\x00"u8;

    private ClientHandshake12(ClientHandshake13 hello, CipherSuiteInfo suite, byte[] serverRandom)
    {
        OfferedSession = hello.Session;
        OfferedSessionId = hello.SessionId;
        Connection = hello.Connection;
        Connection.BeginHandshake(this);
        Options = hello.Options;
        ServerName = hello.ServerName;
        Transcript = hello.Transcript;
        ClientRandom = hello.Random;
        OfferedExtensions = hello.OfferedExtensions;   // a TLS 1.2 ServerHello ends the hello: the set no longer changes
        Suite = suite;
        ServerRandom = serverRandom;
    }

    public TlsConnection Connection { get; }
    public TlsClientOptions Options { get; }
    public string? ServerName { get; }
    public Transcript Transcript { get; }
    public byte[] ClientRandom { get; }
    public byte[] ServerRandom { get; }
    public OfferedExtensionSet OfferedExtensions { get; }
    public CipherSuiteInfo Suite { get; }
    public bool ExtendedMasterSecret { get; private set; }
    public bool StapleMayFollow { get; private set; }
    public Resumption.ClientSession? OfferedSession { get; }
    public byte[] OfferedSessionId { get; }
    /// <summary>The session ID the server gave in its ServerHello (for session-ID resumption later).</summary>
    public byte[] ServerSessionId { get; private set; } = [];
    /// <summary>The server acknowledged session_ticket: a NewSessionTicket comes before its ChangeCipherSpec (RFC 5077 §3.3).</summary>
    public bool TicketExpected { get; private set; }
    public byte[]? NewTicket { get; set; }
    public uint NewTicketLifetime { get; set; }
    /// <summary>An abbreviated handshake (RFC 5246 §7.3): the server's ChangeCipherSpec and Finished come first.</summary>
    public bool Resumed { get; private set; }
    public PeerCertificateChain? PendingChain { get; set; }
    public PeerCertificateChain.PeerKey? PeerLeaf { get; set; }
    public byte[] PreMasterSecret { get; set; } = [];
    public byte[] ClientPublicKey { get; set; } = [];
    public CertificateRequest12? CertificateRequest { get; set; }
    public byte[] MasterSecret { get; private set; } = [];
    public KeyBlock12? Keys { get; private set; }

    /// <summary>Checks a TLS 1.2 ServerHello against what the client offered and starts the TLS 1.2 handshake.</summary>
    public static IHandshakeState OnServerHello(ClientHandshake13 hello, HandshakeMessage message, ServerHello sh)
    {
        var options = hello.Options;
        // RFC 8446 §4.1.3: a client that offered TLS 1.3 refuses a downgrade the server marked in its random.
        if (options.Tls13Enabled)
        {
            var tail = sh.Random.AsSpan(24);
            if (tail.SequenceEqual(DowngradeSentinelTls12) || tail.SequenceEqual(DowngradeSentinelTls11))
                throw TlsException.Illegal(
                    "the server supports TLS 1.3 but answered with TLS 1.2, and its random carries the downgrade sentinel (RFC 8446 §4.1.3): " +
                    "something between client and server removed TLS 1.3 from the ClientHello");
        }
        var suite = CipherSuiteInfo.Find(sh.CipherSuite, ProtocolVersion.Tls12);
        if (suite is null || !options.CipherSuites.Contains(suite.Suite))
            throw TlsException.Illegal($"the server selected cipher suite {TlsNames.Of((CipherSuite)sh.CipherSuite)} for TLS 1.2, which the client did not offer");
        if (sh.LegacyCompressionMethod != 0)
            throw TlsException.Illegal($"the server selected compression method {sh.LegacyCompressionMethod}; Tessera never compresses");

        var cx = new ClientHandshake12(hello, suite, sh.Random);
        var conn = cx.Connection;
        string? alpn = null;
        var renegotiationInfo = false;
        foreach (var e in sh.Extensions)
        {
            if (!cx.OfferedExtensions.Contains(e.Type))
                throw new TlsException(AlertDescription.UnsupportedExtension, $"ServerHello carries {ExtensionNames.Of(e.Type)}, which the client did not offer");
            switch (e.Type)
            {
                case ExtensionType.ExtendedMasterSecret:
                    TlsExtension.ExpectEmpty(e.Body, e.Type);
                    cx.ExtendedMasterSecret = true;
                    break;
                case ExtensionType.RenegotiationInfo:
                    // RFC 5746 §3.4: on an initial handshake renegotiated_connection must be empty.
                    if (!RenegotiationInfoExtension.IsEmpty(e.Body))
                        throw TlsException.HandshakeFailure("the server's renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)");
                    renegotiationInfo = true;
                    break;
                case ExtensionType.EcPointFormats:
                    if (!EcPointFormatsExtension.Read(e.Body))
                        throw TlsException.Illegal("the server's ec_point_formats does not include uncompressed (RFC 8422 §5.1.2)");
                    break;
                case ExtensionType.ServerName:
                    TlsExtension.ExpectEmpty(e.Body, e.Type);
                    break;
                case ExtensionType.SessionTicket:
                    TlsExtension.ExpectEmpty(e.Body, e.Type);
                    cx.TicketExpected = true;
                    break;
                case ExtensionType.StatusRequest:
                    // RFC 6066 §8: the server may follow its Certificate with CertificateStatus.
                    TlsExtension.ExpectEmpty(e.Body, e.Type);
                    cx.StapleMayFollow = true;
                    break;
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    var chosen = AlpnExtension.Read(e.Body);
                    if (chosen.Count != 1 || !options.ApplicationProtocols.Contains(chosen[0]))
                        throw TlsException.Illegal($"the server selected ALPN '{PeerText.List(chosen, ",")}', which the client did not offer");
                    alpn = chosen[0];
                    break;
                default:
                    throw new TlsException(AlertDescription.UnsupportedExtension, $"ServerHello for TLS 1.2 carries {ExtensionNames.Of(e.Type)}, which Tessera does not use there");
            }
        }
        // Without it the session is still used, but not stored for resumption and not used for exporters (RFC 7627 §5.3–5.4).
        if (!cx.ExtendedMasterSecret && options.RequireExtendedMasterSecret)
            throw TlsException.HandshakeFailure(
                "the server does not support the extended master secret (RFC 7627), which this client requires for TLS 1.2 " +
                "(RequireExtendedMasterSecret is set)");
        _ = renegotiationInfo; // an absent renegotiation_info is tolerated: Tessera never renegotiates (RFC 5746 §4.1)

        // The ClientHello is already in the transcript (buffered until the hash was known).
        cx.Transcript.RetainMessages();
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(message);
        foreach (var s in hello.Shares) s.Dispose();
        hello.Shares.Clear();

        conn.SetPlaintextRecordVersion((ushort)ProtocolVersion.Tls12);
        conn.Negotiated(ProtocolVersion.Tls12, suite, group: null);
        conn.ApplicationProtocol = alpn;
        cx.ServerSessionId = sh.LegacySessionIdEcho;

        // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: the server echoing our session ID means it resumes the offered session.
        if (cx.OfferedSession is { Version: ProtocolVersion.Tls12 } session && sh.LegacySessionIdEcho.Length > 0 &&
            sh.LegacySessionIdEcho.AsSpan().SequenceEqual(cx.OfferedSessionId))
        {
            if (session.Suite != suite.Suite)
                throw TlsException.Illegal($"the server resumed the session with {suite.Name}, but the session used {TlsNames.Of(session.Suite)}");
            // RFC 7627 §5.3: a session with an extended master secret resumes only with one.
            if (!cx.ExtendedMasterSecret)
                throw TlsException.HandshakeFailure("the server resumed a session without the extended master secret (RFC 7627 §5.3)");
            cx.Resumed = true;
            conn.WasResumed = true;
            conn.PeerCertificates = new PeerCertificateChain(session.PeerCertificates);
            cx.UseMasterSecret(session.Psk.ToArray());
            return new ExpectServerChangeCipherSpec(cx);
        }
        return new ExpectCertificate12(cx);
    }

    /// <summary>Resumption: the session's master secret with this handshake's randoms gives new keys (RFC 5246 §6.3).</summary>
    public void UseMasterSecret(byte[] masterSecret)
    {
        MasterSecret = masterSecret;
        Connection.LogSecret("CLIENT_RANDOM", MasterSecret);
        Keys = KeyBlock12.Derive(Suite, MasterSecret, ClientRandom, ServerRandom);
    }

    /// <summary>Keeps what a later connection needs to resume: the new ticket, or the server's session ID.</summary>
    public void StoreSession()
    {
        if (Options.SessionStore is not { } store || ServerName is null || !ExtendedMasterSecret) return;
        byte[] ticket = NewTicket ?? [];
        var sessionId = NewTicket is null ? ServerSessionId : [];
        if (ticket.Length == 0 && sessionId.Length == 0) return;
        var certificates = PeerCertificateChain.RawDataOf(Connection.PeerCertificates);
        store.Add(ClientHandshake13.SessionKey(ServerName, Options.ApplicationProtocols), new Resumption.ClientSession
        {
            Version = ProtocolVersion.Tls12,
            ServerName = ServerName,
            Suite = Suite.Suite,
            Ticket = ticket,
            SessionId = sessionId,
            Psk = MasterSecret.ToArray(),
            ReceivedAt = Connection.Now,
            LifetimeSeconds = NewTicket is null ? 3600 : Math.Clamp(NewTicketLifetime == 0 ? 3600 : NewTicketLifetime, 1, 604800),
            AgeAdd = 0,
            ApplicationProtocol = Connection.ApplicationProtocol,
            PeerCertificates = certificates,
        });
    }

    /// <summary>
    /// Computes the master secret after ClientKeyExchange is in the transcript (RFC 7627 §4: the session hash
    /// covers the messages up to and including it) and derives the key block.
    /// </summary>
    public void EstablishKeys()
    {
        MasterSecret = ExtendedMasterSecret
            ? Prf12.ExtendedMasterSecret(Suite.Hash, PreMasterSecret, Transcript.CurrentHash())
            : Prf12.MasterSecret(Suite.Hash, PreMasterSecret, ClientRandom, ServerRandom);
        CryptographicOperations.ZeroMemory(PreMasterSecret);
        Connection.LogSecret("CLIENT_RANDOM", MasterSecret);
        var keys = KeyBlock12.Derive(Suite, MasterSecret, ClientRandom, ServerRandom);
        Keys = keys;
    }

    public void ZeroSecrets()
    {
        CryptographicOperations.ZeroMemory(PreMasterSecret);
        CryptographicOperations.ZeroMemory(MasterSecret);
        Keys?.Dispose();
    }

    public void Dispose()
    {
        Transcript.Dispose();
        CryptographicOperations.ZeroMemory(PreMasterSecret);
        Keys?.Dispose();
    }
}
