using System.Net;
using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// What one TLS 1.3 client handshake carries from state to state, and the ClientHello every client handshake
/// starts with (a ServerHello for TLS 1.2 hands over to <see cref="Client12.ClientHandshake12"/>). The flow, as RFC 8446 §2 draws it:
/// <code>
///   send ClientHello                         (Start)
///   ServerHello | HelloRetryRequest          ExpectServerHello  (HRR: send ClientHello again, once)
///   {EncryptedExtensions}                    ExpectEncryptedExtensions
///   {CertificateRequest}? {Certificate}      ExpectCertificateOrRequest / ExpectCertificate
///   {CertificateVerify}                      ExpectCertificateVerify
///   {Finished}                               ExpectFinished → send {Certificate, CertificateVerify}? {Finished}
///   [application data]                       Connected13
/// </code>
/// </summary>
internal sealed class ClientHandshake13 : IDisposable, IHandshakeContext
{
    public ClientHandshake13(TlsConnection connection, TlsClientOptions options, string? serverName, byte[]? earlyData = null)
    {
        EarlyData = earlyData ?? [];
        Connection = connection;
        connection.BeginHandshake(this);
        Transcript = new Transcript(connection.CryptoProvider);
        Options = options;
        ServerName = serverName;
        // RFC 6066 §3: literal IP addresses are not permitted in server_name.
        SniName = options.SendServerNameIndication && serverName is not null && !IPAddress.TryParse(serverName.Trim('[', ']'), out _)
            ? serverName.TrimEnd('.')
            : null;
    }

    public TlsConnection Connection { get; }
    public TlsClientOptions Options { get; }
    public string? ServerName { get; }
    public string? SniName { get; }
    public Transcript Transcript { get; }
    public byte[] Random { get; private set; } = [];
    public byte[] SessionId { get; private set; } = [];
    public List<KeyExchange> Shares { get; } = [];
    public byte[]? Cookie { get; set; }
    public bool ChangeCipherSpecSent { get; set; }
    public CipherSuiteInfo? RetrySuite { get; set; }
    public NamedGroup? RetryGroup { get; set; }
    public OfferedExtensionSet OfferedExtensions { get; } = new();
    /// <summary>
    /// The keys from the ServerHello on. The states after it receive them through their constructors; the context holds
    /// them only so that a failure (or a dispose mid-handshake) zeroes them.
    /// </summary>
    public HandshakeKeys13? Keys { get; set; }
    public Wire.CertificateRequest? CertificateRequest { get; set; }
    public IReadOnlyList<SignatureScheme> RequestedSchemes { get; set; } = [];
    public PeerCertificateChain.PeerKey? PeerLeaf { get; set; }

    /// <summary>The ticket offered in the ClientHello, if any (taken from the store: tickets are single-use).</summary>
    public Resumption.ClientSession? Session { get; private set; }

    /// <summary>True once the server accepted <see cref="Session"/>: no Certificate or CertificateVerify follow.</summary>
    public bool Resumed { get; set; }

    /// <summary>0-RTT data the application asked to send with the ClientHello.</summary>
    public byte[] EarlyData { get; }

    /// <summary>True while the client writes with its early keys: from the first ClientHello until EndOfEarlyData.</summary>
    public bool EarlyWriting { get; set; }

    /// <summary>The client handshake secret, kept until early data ends (the write key switches then).</summary>
    public bool WriteKeysPending { get; set; }

    public IHandshakeState Start()
    {
        Random = TlsRandom.Bytes(Options.Random, 32);
        Connection.ClientRandom = Random;
        if (Options.MiddleboxCompatibility) SessionId = TlsRandom.Bytes(Options.Random, 32);
        if (Options.Tls13Enabled)
            foreach (var g in Options.EffectiveKeyShareGroups()) Shares.Add(Connection.CryptoProvider.GenerateKeyExchange(g, Options.Random));
        Session = TakeSession();
        // RFC 5077 §3.4: a TLS 1.2 resumption offers the old session ID, or a fresh one with a ticket, so the echo tells.
        if (Session is { Version: ProtocolVersion.Tls12 } old)
            SessionId = old.SessionId.Length > 0 ? old.SessionId : SessionId.Length > 0 ? SessionId : TlsRandom.Bytes(Options.Random, 32);
        SendClientHello();
        return new ExpectServerHello(this);
    }

    /// <summary>
    /// Writes the ClientHello straight into one pooled buffer — every extension in place, no extension an array of its
    /// own — adds it to the transcript and queues it. With a ticket to offer, pre_shared_key goes last and its binder
    /// is patched in after the truncated hello is hashed (RFC 8446 §4.2.11.2).
    /// </summary>
    public void SendClientHello()
    {
        ClientHello? rewritten = null;
        if (Options.TestHooks?.RewriteClientHello is { } rewrite)
        {
            // Tests rewrite the hello as an object: it is written once without a PSK, decoded, rewritten, and written again.
            var draft = new TlsWriter(512);
            try
            {
                WriteBody(draft, null, null);
                rewritten = rewrite(ClientHello.Decode(draft.WrittenSpan));
            }
            finally
            {
                draft.Release();
            }
        }
        var psk = PskToOffer();
        var w = new TlsWriter(512);
        try
        {
            w.WriteUInt8((byte)HandshakeType.ClientHello);
            using (w.BeginVector(3)) WriteBody(w, rewritten, psk);
            var message = w.WrittenSpanForPatching;
            if (psk is { } offer) PatchBinder(message, offer.Suite);
            Connection.OfferSummary = DescribeOffer;
            Transcript.Add(message);
            Connection.SendHandshake(HandshakeType.ClientHello, message);
        }
        finally
        {
            w.Release();
        }
        if (Offered(ExtensionType.EarlyData) && Session is { } session) SendEarlyData(session);
    }

    /// <summary>The ClientHello body (RFC 8446 §4.1.2); <see cref="OfferedExtensions"/> lists what it carries.</summary>
    private void WriteBody(TlsWriter w, ClientHello? rewritten, (CipherSuiteInfo Suite, bool Early)? psk)
    {
        OfferedExtensions.Clear();
        if (rewritten is null)
        {
            w.WriteUInt16((ushort)ProtocolVersion.Tls12);   // legacy_version
            w.WriteBytes(Random);
            w.WriteVector8(SessionId);
            using (w.BeginVector(2))
                foreach (var s in Options.CipherSuites.Each())
                    if (CipherSuiteInfo.Get(s).IsTls13 ? Options.Tls13Enabled : Options.Tls12Enabled) w.WriteUInt16((ushort)s);
            w.WriteVector8([0]);   // legacy_compression_methods: null only
        }
        else
        {
            w.WriteUInt16(rewritten.LegacyVersion);
            w.WriteBytes(rewritten.Random);
            w.WriteVector8(rewritten.LegacySessionId);
            using (w.BeginVector(2))
                foreach (var s in rewritten.CipherSuites.Each()) w.WriteUInt16(s);
            w.WriteVector8(rewritten.LegacyCompressionMethods);
        }
        using (w.BeginVector(2))
        {
            if (rewritten is null)
            {
                WriteExtensions(w);
            }
            else
            {
                foreach (var e in rewritten.Extensions)
                {
                    OfferedExtensions.Add(e.Type);
                    w.WriteUInt16((ushort)e.Type);
                    w.WriteVector16(e.Body);
                }
            }
            if (psk is { } offer)
            {
                // RFC 8446 §4.2.10: early data only in the first ClientHello, within the ticket's limit, with the ticket's ALPN.
                if (offer.Early)
                    using (Extension(w, ExtensionType.EarlyData)) { }
                using (Extension(w, ExtensionType.PreSharedKey))
                    PreSharedKeyExtension.WriteClientHello(w, Session!.Ticket, Session.ObfuscatedAge(Connection.Now), offer.Suite.HashLength);
            }
        }
    }

    private void WriteExtensions(TlsWriter w)
    {
        if (SniName is not null)
            using (Extension(w, ExtensionType.ServerName)) ServerNameExtension.Write(w, SniName);
        using (Extension(w, ExtensionType.SupportedGroups)) SupportedGroupsExtension.Write(w, Options.OfferedGroups());
        if (Options.ApplicationProtocols.Count > 0)
            using (Extension(w, ExtensionType.ApplicationLayerProtocolNegotiation)) AlpnExtension.Write(w, Options.ApplicationProtocols);
        using (Extension(w, ExtensionType.SignatureAlgorithms)) SignatureAlgorithmsExtension.Write(w, Options.SignatureSchemes);
        using (Extension(w, ExtensionType.SignatureAlgorithmsCert)) SignatureAlgorithmsExtension.Write(w, SignatureSchemes.DefaultCertificate);
        if (Options.RequestOcspStapling)
            using (Extension(w, ExtensionType.StatusRequest)) StatusRequestExtension.WriteOcspRequest(w);
        if (Options.Tls12Enabled)
        {
            using (Extension(w, ExtensionType.EcPointFormats)) EcPointFormatsExtension.WriteUncompressed(w);
            using (Extension(w, ExtensionType.ExtendedMasterSecret)) { }                                  // RFC 7627
            using (Extension(w, ExtensionType.RenegotiationInfo)) RenegotiationInfoExtension.WriteEmpty(w); // RFC 5746
            // RFC 5077 §3.2: an empty session_ticket asks for a ticket; a full one presents it.
            if (Options.SessionStore is not null && Options.RequestTls12SessionTickets)
                using (Extension(w, ExtensionType.SessionTicket))
                    if (Session is { Version: ProtocolVersion.Tls12 } s12) w.WriteBytes(s12.Ticket);
        }
        if (Options.Tls13Enabled)
        {
            using (Extension(w, ExtensionType.SupportedVersions))
                SupportedVersionsExtension.WriteClientHello(w, Options.Tls12Enabled
                    ? [(ushort)ProtocolVersion.Tls13, (ushort)ProtocolVersion.Tls12]
                    : [(ushort)ProtocolVersion.Tls13]);
            // psk_dhe_ke only when tickets can be kept: RFC 8446 §4.2.9 makes the modes the client's statement of how it
            // will resume, and a server does not send tickets to a client that lists none (Go's does not; ours neither).
            if (Options.SessionStore is not null)
                using (Extension(w, ExtensionType.PskKeyExchangeModes)) PskKeyExchangeModesExtension.Write(w, PskKeyExchangeModesExtension.PskDheKe);
            using (Extension(w, ExtensionType.KeyShare))
            using (w.BeginVector(2))
                foreach (var share in Shares) KeyShareExtension.WriteEntry(w, share.Group, share.PublicKey);
            // RFC 8879 §3: the server may then send its certificate compressed (TLS 1.3 only).
            if (Options.CertificateCompression.Count > 0)
                using (Extension(w, ExtensionType.CompressCertificate)) CompressCertificateExtension.Write(w, Options.CertificateCompression);
        }
        if (Options.RecordSizeLimit is { } limit)
            using (Extension(w, ExtensionType.RecordSizeLimit)) RecordSizeLimitExtension.Write(w, limit);
        if (Cookie is not null)
            using (Extension(w, ExtensionType.Cookie)) CookieExtension.Write(w, Cookie);
    }

    /// <summary>Begins an extension and notes it as offered (a reply may only carry what was offered, RFC 8446 §4.2).</summary>
    private TlsWriter.LengthScope Extension(TlsWriter w, ExtensionType type)
    {
        OfferedExtensions.Add(type);
        return w.BeginExtension(type);
    }

    /// <summary>RFC 8446 §2.3: the early data follows the ClientHello under client_early_traffic_secret.</summary>
    private void SendEarlyData(Resumption.ClientSession session)
    {
        var suite = CipherSuiteInfo.Get(session.Suite);
        Span<byte> secret = stackalloc byte[suite.HashLength];
        EarlySchedule(suite).ClientEarlyTrafficSecret(Transcript.HashWith(suite.Hash, [], stackalloc byte[Transcript.MaxHashLength]), secret);
        Connection.LogSecret("CLIENT_EARLY_TRAFFIC_SECRET", secret);
        // RFC 8446 D.4: with early data, the compatibility ChangeCipherSpec goes right after the first ClientHello.
        if (Options.MiddleboxCompatibility && !ChangeCipherSpecSent)
        {
            Connection.SendChangeCipherSpec();
            ChangeCipherSpecSent = true;
        }
        Connection.SetWriteKeys(suite, secret, "client early keys (0-RTT)");
        CryptographicOperations.ZeroMemory(secret);
        Connection.WriteEarlyData(EarlyData);
        Connection.EarlyDataAccepted = false;   // until EncryptedExtensions says otherwise
        EarlyWriting = true;
    }

    public bool Offered(ExtensionType type) => OfferedExtensions.Contains(type);

    /// <summary>The store key for this connection's tickets: server name and ALPN offer (RFC 8446 §4.6.1 binds both).</summary>
    public static string SessionKey(string serverName, IReadOnlyList<string> alpn) =>
        alpn.Count == 0 ? serverName.ToLowerInvariant() : serverName.ToLowerInvariant() + "|" + string.Join(",", alpn);

    private Resumption.ClientSession? TakeSession()
    {
        if (Options.SessionStore is not { } store || ServerName is null) return null;
        var session = store.Take(SessionKey(ServerName, Options.ApplicationProtocols), Connection.Now);
        if (session is null || !Options.CipherSuites.Contains(session.Suite)) return null;
        if (session.Version == ProtocolVersion.Tls13 ? !Options.Tls13Enabled : !Options.Tls12Enabled) return null;
        return session;
    }

    /// <summary>
    /// The TLS 1.3 ticket to offer as pre_shared_key, and whether early data goes with it. After a HelloRetryRequest
    /// the PSK is kept only if its hash matches the suite the server chose.
    /// </summary>
    private (CipherSuiteInfo Suite, bool Early)? PskToOffer()
    {
        if (Session is not { Version: ProtocolVersion.Tls13 } session) return null;
        var suite = CipherSuiteInfo.Get(session.Suite);
        if (RetrySuite is not null && RetrySuite.Hash != suite.Hash)
        {
            Session = null;
            return null;
        }
        var early = EarlyData.Length > 0 && RetrySuite is null && session.MaxEarlyData >= EarlyData.Length &&
            (session.ApplicationProtocol is null ? Options.ApplicationProtocols.Count == 0 : Options.ApplicationProtocols.Contains(session.ApplicationProtocol));
        return (suite, early);
    }

    /// <summary>
    /// Fills in the binder (RFC 8446 §4.2.11.2): an HMAC, under a key derived from the PSK, over the transcript up to
    /// this ClientHello truncated before the binders list, which ends the message.
    /// </summary>
    private void PatchBinder(Span<byte> message, CipherSuiteInfo suite)
    {
        var truncated = message[..^PreSharedKeyExtension.BindersLength(suite.HashLength)];
        Span<byte> binderKey = stackalloc byte[suite.HashLength];
        EarlySchedule(suite).BinderKey(external: false, binderKey);
        // The binder is written straight into its place, after the truncated part it covers has been hashed.
        KeySchedule13.ComputeFinished(suite.Hash, binderKey, Transcript.HashWith(suite.Hash, truncated, stackalloc byte[Transcript.MaxHashLength]),
            message[^suite.HashLength..], Connection.CryptoProvider);
        CryptographicOperations.ZeroMemory(binderKey);
    }

    private KeySchedule13? _early;

    /// <summary>
    /// The early key schedule of the offered ticket's PSK (RFC 8446 §7.1): extracted once per handshake and shared by
    /// the binder, the early traffic secret and — when the server accepts the PSK — the handshake itself. Only the
    /// hash of <paramref name="suite"/> matters; a suite of another hash (after a HelloRetryRequest) starts it again.
    /// </summary>
    public KeySchedule13 EarlySchedule(CipherSuiteInfo suite)
    {
        if (_early is { } early && early.Hash == suite.Hash) return early;
        _early?.Dispose();
        return _early = new KeySchedule13(suite, Session!.Psk, Connection.CryptoProvider);
    }

    /// <summary>The early schedule for the handshake to go on with (the server accepted the PSK); this context no longer owns it.</summary>
    public KeySchedule13 TakeEarlySchedule(CipherSuiteInfo suite)
    {
        var early = EarlySchedule(suite);
        _early = null;
        return early;
    }

    private string DescribeOffer()
    {
        var versions = (Options.Tls13Enabled, Options.Tls12Enabled) switch
        {
            (true, true) => "TLS 1.3 and TLS 1.2",
            (true, false) => "TLS 1.3",
            _ => "TLS 1.2",
        };
        var suites = new List<string>(Options.CipherSuites.Count);
        foreach (var s in Options.CipherSuites.Each())
            if (CipherSuiteInfo.Get(s).IsTls13 ? Options.Tls13Enabled : Options.Tls12Enabled) suites.Add(TlsNames.Of(s));
        return $"{versions} with {string.Join(", ", suites)}; groups {string.Join(", ", Options.Groups.Select(TlsNames.Of))}";
    }

    public void ZeroSecrets()
    {
        Keys?.Dispose();
        _early?.Dispose();
    }

    public void Dispose()
    {
        foreach (var s in Shares) s.Dispose();
        Shares.Clear();
        Transcript.Dispose();
        Keys?.Dispose();
        _early?.Dispose();
    }
}
