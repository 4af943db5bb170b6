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
internal sealed class ClientHandshake13 : IDisposable
{
    public ClientHandshake13(TlsConnection connection, TlsClientOptions options, string? serverName, byte[]? earlyData = null)
    {
        EarlyData = earlyData ?? [];
        Connection = connection;
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
    public List<ExtensionType> OfferedExtensions { get; } = [];
    public CipherSuiteInfo Suite { get; set; } = null!;
    public KeySchedule13 Schedule { get; set; } = null!;
    public byte[] ClientHandshakeSecret { get; set; } = [];
    public byte[] ServerHandshakeSecret { get; set; } = [];
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

    public void SendClientHello()
    {
        var extensions = new List<TlsExtension>(20);   // room for every extension this method may add, plus padding and pre_shared_key
        if (SniName is not null) extensions.Add(new(ExtensionType.ServerName, ExtensionCodec.WriteServerName(SniName)));
        extensions.Add(new(ExtensionType.SupportedGroups, ExtensionCodec.WriteNamedGroups(Options.OfferedGroups())));
        if (Options.ApplicationProtocols.Count > 0)
            extensions.Add(new(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionCodec.WriteAlpn(Options.ApplicationProtocols)));
        extensions.Add(new(ExtensionType.SignatureAlgorithms, ExtensionCodec.WriteSignatureSchemes(Options.SignatureSchemes)));
        extensions.Add(new(ExtensionType.SignatureAlgorithmsCert, ExtensionCodec.WriteSignatureSchemes(SignatureSchemes.DefaultCertificate)));
        if (Options.RequestOcspStapling) extensions.Add(new(ExtensionType.StatusRequest, ExtensionCodec.WriteStatusRequestOcsp()));
        if (Options.Tls12Enabled)
        {
            extensions.Add(new(ExtensionType.EcPointFormats, ExtensionCodec.WriteEcPointFormats()));
            extensions.Add(new(ExtensionType.ExtendedMasterSecret, []));          // RFC 7627
            extensions.Add(new(ExtensionType.RenegotiationInfo, ExtensionCodec.WriteEmptyRenegotiationInfo())); // RFC 5746
            // RFC 5077 §3.2: an empty session_ticket asks for a ticket; a full one presents it.
            if (Options.SessionStore is not null && Options.RequestTls12SessionTickets)
                extensions.Add(new(ExtensionType.SessionTicket, Session is { Version: ProtocolVersion.Tls12 } s12 ? s12.Ticket : []));
        }
        if (Options.Tls13Enabled)
        {
            ushort[] versions = Options.Tls12Enabled ? [(ushort)ProtocolVersion.Tls13, (ushort)ProtocolVersion.Tls12] : [(ushort)ProtocolVersion.Tls13];
            extensions.Add(new(ExtensionType.SupportedVersions, ExtensionCodec.WriteSupportedVersionsClientHello(versions)));
            // psk_dhe_ke only when tickets can be kept: RFC 8446 §4.2.9 makes the modes the client's statement of how it
            // will resume, and a server does not send tickets to a client that lists none (Go's does not; ours neither).
            if (Options.SessionStore is not null)
                extensions.Add(new(ExtensionType.PskKeyExchangeModes, ExtensionCodec.WritePskKeyExchangeModes([1])));
            var entries = new KeyShareEntry[Shares.Count];
            for (var i = 0; i < entries.Length; i++) entries[i] = new KeyShareEntry(Shares[i].Group, Shares[i].PublicKey);
            extensions.Add(new(ExtensionType.KeyShare, ExtensionCodec.WriteKeyShareClientHello(entries)));
            // RFC 8879 §3: the server may then send its certificate compressed (TLS 1.3 only).
            if (Options.CertificateCompression.Count > 0)
                extensions.Add(new(ExtensionType.CompressCertificate, CompressCertificateExtension.Write(Options.CertificateCompression)));
        }
        if (Options.RecordSizeLimit is { } limit)
            extensions.Add(new(ExtensionType.RecordSizeLimit, ExtensionCodec.WriteRecordSizeLimit(limit)));
        if (Cookie is not null) extensions.Add(new(ExtensionType.Cookie, ExtensionCodec.WriteCookie(Cookie)));

        var hello = new ClientHello
        {
            Random = Random,
            LegacySessionId = SessionId,
            CipherSuites = OfferedSuites(),
            Extensions = extensions,
        };
        if (Options.TestHooks?.RewriteClientHello is { } rewrite) hello = rewrite(hello);

        OfferedExtensions.Clear();
        OfferedExtensions.EnsureCapacity(hello.Extensions.Count);
        foreach (var e in hello.Extensions) OfferedExtensions.Add(e.Type);
        var message = OfferSession(hello);
        Connection.OfferSummary = () => DescribeOffer(hello);
        Transcript.Add(message);
        Connection.SendHandshake(message);
        if (Offered(ExtensionType.EarlyData) && Session is { } session) SendEarlyData(session);
    }

    /// <summary>RFC 8446 §2.3: the early data follows the ClientHello under client_early_traffic_secret.</summary>
    private void SendEarlyData(Resumption.ClientSession session)
    {
        var suite = CipherSuiteInfo.Get(session.Suite);
        using var early = new KeySchedule13(suite, session.Psk, Connection.CryptoProvider);
        var secret = early.ClientEarlyTrafficSecret(Transcript.HashWith(suite.Hash, []));
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
    /// Adds pre_shared_key as the last extension and fills in its binder (RFC 8446 §4.2.11.2): an HMAC, under a key
    /// derived from the PSK, over the transcript up to this ClientHello truncated before the binders list.
    /// After a HelloRetryRequest the PSK is kept only if its hash matches the suite the server chose.
    /// </summary>
    private HandshakeMessage OfferSession(ClientHello hello)
    {
        if (Session is not { Version: ProtocolVersion.Tls13 } session) return hello.Encode();
        var suite = CipherSuiteInfo.Get(session.Suite);
        if (RetrySuite is not null && RetrySuite.Hash != suite.Hash)
        {
            Session = null;
            return hello.Encode();
        }
        var extension = new TlsExtension(ExtensionType.PreSharedKey,
            ExtensionCodec.WritePreSharedKeyClientHello(session.Ticket, session.ObfuscatedAge(Connection.Now), suite.HashLength));
        // RFC 8446 §4.2.10: early data only in the first ClientHello, within the ticket's limit, with the ticket's ALPN.
        var offerEarly = EarlyData.Length > 0 && RetrySuite is null && session.MaxEarlyData >= EarlyData.Length &&
            (session.ApplicationProtocol is null ? Options.ApplicationProtocols.Count == 0 : Options.ApplicationProtocols.Contains(session.ApplicationProtocol));
        List<TlsExtension> extensions = offerEarly
            ? [.. hello.Extensions, new(ExtensionType.EarlyData, []), extension]
            : [.. hello.Extensions, extension];
        var withPsk = new ClientHello
        {
            LegacyVersion = hello.LegacyVersion,
            Random = hello.Random,
            LegacySessionId = hello.LegacySessionId,
            CipherSuites = hello.CipherSuites,
            LegacyCompressionMethods = hello.LegacyCompressionMethods,
            Extensions = extensions,
        };
        if (offerEarly) OfferedExtensions.Add(ExtensionType.EarlyData);
        OfferedExtensions.Add(ExtensionType.PreSharedKey);
        var message = withPsk.Encode();
        var truncated = message.Raw.AsSpan(0, message.Raw.Length - (2 + 1 + suite.HashLength));
        using var early = new KeySchedule13(suite, session.Psk, Connection.CryptoProvider);
        var binderKey = early.BinderKey(external: false);
        var binder = KeySchedule13.ComputeFinished(suite.Hash, binderKey, Transcript.HashWith(suite.Hash, truncated), Connection.CryptoProvider);
        CryptographicOperations.ZeroMemory(binderKey);
        binder.CopyTo(message.Raw.AsSpan(message.Raw.Length - suite.HashLength));
        return message;
    }

    private string DescribeOffer(ClientHello hello)
    {
        var versions = (Options.Tls13Enabled, Options.Tls12Enabled) switch
        {
            (true, true) => "TLS 1.3 and TLS 1.2",
            (true, false) => "TLS 1.3",
            _ => "TLS 1.2",
        };
        return $"{versions} with {string.Join(", ", hello.CipherSuites.Select(s => TlsNames.Of((CipherSuite)s)))}; groups {string.Join(", ", Options.Groups.Select(TlsNames.Of))}";
    }

    /// <summary>The configured suites of every enabled version, in the configured order.</summary>
    private List<ushort> OfferedSuites()
    {
        var suites = new List<ushort>(Options.CipherSuites.Count);
        foreach (var s in Options.CipherSuites.Each())
        {
            var info = CipherSuiteInfo.Get(s);
            if (info.IsTls13 ? Options.Tls13Enabled : Options.Tls12Enabled) suites.Add((ushort)s);
        }
        return suites;
    }

    public void Dispose()
    {
        foreach (var s in Shares) s.Dispose();
        Shares.Clear();
        Transcript.Dispose();
        CryptographicOperations.ZeroMemory(ClientHandshakeSecret);
        CryptographicOperations.ZeroMemory(ServerHandshakeSecret);
        Schedule?.Dispose();
    }
}
