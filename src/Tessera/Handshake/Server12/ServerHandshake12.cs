using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Handshake.Client12;
using Tessera.Handshake.Server13;
using Tessera.KeySchedule;
using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Handshake.Server12;

/// <summary>
/// What one TLS 1.2 server handshake carries from state to state. The flow, as RFC 5246 §7.3 draws it
/// (ECDHE with AEAD suites only):
/// <code>
///   ClientHello           Respond → ServerHello, Certificate, ServerKeyExchange, CertificateRequest?, ServerHelloDone
///   Certificate?          ExpectClientCertificate12       (only when a certificate was requested)
///   ClientKeyExchange     ExpectClientKeyExchange
///   CertificateVerify?    ExpectClientCertificateVerify12 (only when the client sent a certificate)
///   [ChangeCipherSpec]    ExpectClientChangeCipherSpec
///   Finished              ExpectClientFinished12 → [ChangeCipherSpec], Finished
///   application data      Connected12
/// </code>
/// </summary>
internal sealed class ServerHandshake12 : IDisposable, IHandshakeContext
{
    private ServerHandshake12(TlsConnection connection, TlsServerOptions options, CipherSuiteInfo suite, byte[] clientRandom, byte[] serverRandom)
    {
        Connection = connection;
        connection.BeginHandshake(this);
        Transcript = new Transcript(connection.CryptoProvider);
        Options = options;
        Suite = suite;
        ClientRandom = clientRandom;
        ServerRandom = serverRandom;
    }

    public TlsConnection Connection { get; }
    public TlsServerOptions Options { get; }
    public CipherSuiteInfo Suite { get; }
    public byte[] ClientRandom { get; }
    public byte[] ServerRandom { get; }
    public Transcript Transcript { get; }
    public bool ExtendedMasterSecret { get; private set; }
    public bool IssueTicket { get; private set; }
    public bool Abbreviated { get; private set; }
    public byte[] SessionId { get; private set; } = [];
    public KeyExchange? Ephemeral { get; private set; }
    public IReadOnlyList<SignatureScheme> RequestedSchemes { get; private set; } = [];
    public Certificates.PeerCertificateChain? ClientChain { get; set; }
    public byte[] MasterSecret { get; private set; } = [];
    public KeyBlock12? Keys { get; private set; }

    public static IHandshakeState Respond(TlsConnection conn, TlsServerOptions options, HandshakeMessage clientHello, ClientHelloOffer offer)
    {
        var hello = offer.Hello;
        if (Array.IndexOf(hello.LegacyCompressionMethods, (byte)0) < 0)
            throw TlsException.Illegal("ClientHello does not offer the null compression method; Tessera never compresses");

        // RFC 5746 §3.6: the client signals secure renegotiation with the SCSV or an empty renegotiation_info.
        var renegotiationBody = TlsExtension.Find(hello.Extensions, ExtensionType.RenegotiationInfo);
        if (renegotiationBody is not null && !RenegotiationInfoExtension.IsEmpty(renegotiationBody))
            throw TlsException.HandshakeFailure("the client's renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)");
        var secureRenegotiation = renegotiationBody is not null || hello.CipherSuites.Contains((ushort)CipherSuite.TlsEmptyRenegotiationInfoScsv);

        var emsBody = TlsExtension.Find(hello.Extensions, ExtensionType.ExtendedMasterSecret);
        if (emsBody is not null) TlsExtension.ExpectEmpty(emsBody, ExtensionType.ExtendedMasterSecret);
        if (emsBody is null && options.RequireExtendedMasterSecret)
            throw TlsException.HandshakeFailure(
                "the client does not support the extended master secret (RFC 7627), which this server requires for TLS 1.2 " +
                "(RequireExtendedMasterSecret is set)");

        var pointFormats = TlsExtension.Find(hello.Extensions, ExtensionType.EcPointFormats);
        if (pointFormats is not null && !EcPointFormatsExtension.Read(pointFormats))
            throw TlsException.Illegal("the client's ec_point_formats does not include uncompressed (RFC 8422 §5.1.2)");

        // RFC 5246 §7.4.1.4.1: without signature_algorithms the client would accept only SHA-1, which Tessera never signs with.
        if (!offer.HasSignatureSchemes)
            throw TlsException.HandshakeFailure("the client sent no signature_algorithms, so it would accept only SHA-1 signatures, which Tessera refuses");

        var alpn = Negotiation.AlpnSelection.Choose(options, offer);
        var ticketBody = TlsExtension.Find(hello.Extensions, ExtensionType.SessionTicket);
        var resumable = options.ClientCertificateMode == ClientCertificateMode.None;   // resumed sessions carry no client certificate
        // RFC 7627 §5.3: a session without the extended master secret is never resumed, so it gets no ticket either
        // (a ticket it could not use would only make the client offer it again).
        var issueTicket = resumable && emsBody is not null && ticketBody is not null && options.TicketProtector is not null && options.TicketCount > 0;
        if (resumable && TryResume(options, offer, ticketBody, conn.Now, emsBody is not null) is { } session)
            return RespondAbbreviated(conn, options, clientHello, offer, session, alpn, secureRenegotiation, issueTicket);

        var group = Negotiation.GroupSelection.ChooseTls12(offer, options);
        var (suite, credential, scheme) = Negotiation.CredentialSelection.ChooseTls12(offer, options,
            Negotiation.SuiteSelection.CandidatesTls12(offer.CipherSuites, options));

        var serverRandom = TlsRandom.Bytes(options.Random, 32);
        // RFC 8446 §4.1.3: a server that could have spoken TLS 1.3 marks the downgrade in its random.
        if (options.Tls13Enabled) ClientHandshake12.DowngradeSentinelTls12.CopyTo(serverRandom.AsSpan(24));

        var cx = new ServerHandshake12(conn, options, suite, hello.Random, serverRandom) { ExtendedMasterSecret = emsBody is not null, IssueTicket = issueTicket };
        // Session-ID resumption (RFC 5246 §7.4.1.3) when no ticket is issued: the ID is chosen now, the session stored at the end.
        if (!issueTicket && resumable && options.SessionIdCache is not null && cx.ExtendedMasterSecret) cx.SessionId = TlsRandom.Bytes(options.Random, 32);
        var requestCertificate = options.ClientCertificateMode != ClientCertificateMode.None;
        if (requestCertificate) cx.Transcript.RetainMessages();
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        conn.ClientRandom = hello.Random;
        conn.Negotiated(ProtocolVersion.Tls12, suite, group);
        conn.ServerName = offer.ServerName;
        conn.ApplicationProtocol = alpn;

        var staple = offer.StatusRequest ? credential.OcspResponse : null;
        // The session ID is empty when this session cannot be resumed by ID.
        cx.Send(ServerHelloMessage(serverRandom, cx.SessionId, suite, new ServerHelloAnswers(secureRenegotiation, cx.ExtendedMasterSecret,
            PointFormats: pointFormats is not null, ServerName: offer.ServerName is not null, alpn, StatusRequest: staple is not null, issueTicket)));
        conn.SetPlaintextRecordVersion((ushort)ProtocolVersion.Tls12);

        cx.Send(credential.Certificate12);
        conn.LocalCertificate = credential;
        // RFC 6066 §8: the stapled OCSP response travels in CertificateStatus right after Certificate.
        if (staple is not null)
            cx.Send(HandshakeMessage.Frame(HandshakeType.CertificateStatus, TlsExtension.BodyOf(staple, static (w, s) => StatusRequestExtension.WriteCertificateEntry(w, s))));

        cx.Ephemeral = conn.CryptoProvider.GenerateKeyExchange(group, options.Random);
        var parameters = ServerKeyExchangeEcdhe.EncodeParams(group, cx.Ephemeral.PublicKey);
        var signature = conn.CryptoProvider.Sign(credential.Key, scheme, ServerKeyExchangeEcdhe.SignedContent(hello.Random, serverRandom, parameters));
        cx.Send(new ServerKeyExchangeEcdhe { Group = group, PublicKey = cx.Ephemeral.PublicKey, Scheme = scheme, Signature = signature }.Encode());

        if (requestCertificate)
        {
            var requested = new List<SignatureScheme>();
            foreach (var s in options.SignatureSchemes)
                if (SignatureSchemes.IsUsableInTls12(s)) requested.Add(s);
            cx.RequestedSchemes = requested;
            var authorities = options.ClientTrustStore is { Roots.Count: > 0 and <= 64 } roots
                ? roots.Roots.Select(r => r.SubjectName.RawData).ToList()
                : [];
            cx.Send(new CertificateRequest12 { SignatureSchemes = requested, CertificateAuthorities = authorities }.Encode());
        }
        cx.Send(HandshakeMessage.Frame(HandshakeType.ServerHelloDone, []));
        return requestCertificate ? new ExpectClientCertificate12(cx) : new ExpectClientKeyExchange(cx);
    }

    /// <summary>What a TLS 1.2 ServerHello answers, each an extension the client offered (RFC 5246 §7.4.1.4).</summary>
    private readonly record struct ServerHelloAnswers(bool RenegotiationInfo, bool ExtendedMasterSecret, bool PointFormats, bool ServerName,
        string? Alpn, bool StatusRequest, bool SessionTicket);

    /// <summary>
    /// The ServerHello (RFC 5246 §7.4.1.3) written in place: each extension straight into the message, none an array of
    /// its own — renegotiation_info (RFC 5746), extended_master_secret (RFC 7627), ec_point_formats (RFC 8422), an
    /// empty server_name (RFC 6066), the ALPN choice, status_request for a staple, session_ticket (RFC 5077), in that order.
    /// </summary>
    private static HandshakeMessage ServerHelloMessage(byte[] random, byte[] sessionId, CipherSuiteInfo suite, ServerHelloAnswers answers) =>
        HandshakeMessage.Build(HandshakeType.ServerHello, w =>
        {
            w.WriteUInt16((ushort)ProtocolVersion.Tls12);
            w.WriteBytes(random);
            w.WriteVector8(sessionId);
            w.WriteUInt16((ushort)suite.Suite);
            w.WriteUInt8(0);   // compression_method: null
            using (w.BeginVector(2))
            {
                if (answers.RenegotiationInfo)
                    using (w.BeginExtension(ExtensionType.RenegotiationInfo)) RenegotiationInfoExtension.WriteEmpty(w);
                if (answers.ExtendedMasterSecret)
                    using (w.BeginExtension(ExtensionType.ExtendedMasterSecret)) { }
                if (answers.PointFormats)
                    using (w.BeginExtension(ExtensionType.EcPointFormats)) EcPointFormatsExtension.WriteUncompressed(w);
                if (answers.ServerName)
                    using (w.BeginExtension(ExtensionType.ServerName)) { }
                if (answers.Alpn is { } alpn)
                    using (w.BeginExtension(ExtensionType.ApplicationLayerProtocolNegotiation)) AlpnExtension.WriteSelection(w, alpn);
                if (answers.StatusRequest)
                    using (w.BeginExtension(ExtensionType.StatusRequest)) { }
                if (answers.SessionTicket)
                    using (w.BeginExtension(ExtensionType.SessionTicket)) { }
            }
        });

    /// <summary>A session the client offers by ticket (RFC 5077) or session ID that this server can resume, or null for a full handshake.</summary>
    private static Resumption.ServerSessionState? TryResume(TlsServerOptions options, ClientHelloOffer offer, byte[]? ticket, DateTimeOffset now, bool extendedMasterSecret)
    {
        var hello = offer.Hello;
        byte[]? sealedState = null;
        if (ticket is { Length: > 0 } && options.TicketProtector is { } protector) sealedState = protector.Unprotect(ticket, now);
        else if (hello.LegacySessionId.Length > 0 && options.SessionIdCache is { } cache) sealedState = cache.Take(hello.LegacySessionId, now);
        if (sealedState is null) return null;
        var state = Resumption.ServerSessionState.Decode(sealedState);
        CryptographicOperations.ZeroMemory(sealedState);
        if (state is null || state.Version != ProtocolVersion.Tls12) return null;
        // RFC 7627 §5.3: resume only a session with an extended master secret, and only when the client still offers it.
        if (!state.ExtendedMasterSecret || !extendedMasterSecret) return null;
        if (!hello.CipherSuites.Contains((ushort)state.Suite) || !options.CipherSuites.Contains(state.Suite)) return null;
        if (!string.Equals(state.ServerName, offer.ServerName, StringComparison.OrdinalIgnoreCase)) return null;
        if (now - state.IssuedAt > TimeSpan.FromSeconds(state.LifetimeSeconds) || now < state.IssuedAt) return null;
        return state;
    }

    /// <summary>
    /// RFC 5246 §7.3 abbreviated handshake: ServerHello echoing the session ID, [NewSessionTicket], ChangeCipherSpec and
    /// Finished from the server first; the session's master secret with the new randoms gives new keys.
    /// </summary>
    private static IHandshakeState RespondAbbreviated(TlsConnection conn, TlsServerOptions options, HandshakeMessage clientHello, ClientHelloOffer offer,
        Resumption.ServerSessionState session, string? alpn, bool secureRenegotiation, bool issueTicket)
    {
        var hello = offer.Hello;
        var suite = CipherSuiteInfo.Get(session.Suite);
        var serverRandom = TlsRandom.Bytes(options.Random, 32);
        if (options.Tls13Enabled) ClientHandshake12.DowngradeSentinelTls12.CopyTo(serverRandom.AsSpan(24));
        var cx = new ServerHandshake12(conn, options, suite, hello.Random, serverRandom) { ExtendedMasterSecret = true, IssueTicket = issueTicket, Abbreviated = true };
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        conn.ClientRandom = hello.Random;
        conn.Negotiated(ProtocolVersion.Tls12, suite, null);
        conn.ServerName = offer.ServerName;
        conn.ApplicationProtocol = alpn;
        conn.WasResumed = true;

        cx.Send(ServerHelloMessage(serverRandom, hello.LegacySessionId, suite, new ServerHelloAnswers(secureRenegotiation, ExtendedMasterSecret: true,
            PointFormats: false, ServerName: false, alpn, StatusRequest: false, issueTicket)));
        conn.SetPlaintextRecordVersion((ushort)ProtocolVersion.Tls12);

        cx.UseMasterSecret(session.Secret);
        cx.SendServerFinishedFlight();
        return new ExpectClientChangeCipherSpec(cx);
    }

    /// <summary>[NewSessionTicket], ChangeCipherSpec, Finished: the server's last flight in a full handshake, its first in an abbreviated one.</summary>
    public void SendServerFinishedFlight()
    {
        if (IssueTicket)
        {
            var state = SessionState();
            var ticket = Options.TicketProtector!.Protect(state, Connection.Now);
            CryptographicOperations.ZeroMemory(state);
            Send(NewSessionTicket12.Encode((uint)Math.Clamp(Options.TicketLifetime.TotalSeconds, 1, 604800), ticket));
        }
        Connection.SendChangeCipherSpec();
        Connection.SetWriteKeys12(Suite, Keys!.ServerKey, Keys.ServerIv, "server keys");
        Send(new Finished { VerifyData = Prf12.VerifyData(Suite.Hash, MasterSecret, client: false, Transcript.CurrentHash()) }.Encode());
    }

    /// <summary>The session as a resumption would need it (RFC 5077 §4 recommends exactly this content).</summary>
    public byte[] SessionState() => new Resumption.ServerSessionState
    {
        Version = ProtocolVersion.Tls12,
        Suite = Suite.Suite,
        Secret = MasterSecret,
        IssuedAt = Connection.Now,
        LifetimeSeconds = (uint)Math.Clamp(Options.TicketLifetime.TotalSeconds, 1, 604800),
        AgeAdd = 0,
        ServerName = Connection.ServerName,
        ApplicationProtocol = Connection.ApplicationProtocol,
        ExtendedMasterSecret = ExtendedMasterSecret,
    }.Encode();

    public void UseMasterSecret(byte[] masterSecret)
    {
        MasterSecret = masterSecret;
        Connection.LogSecret("CLIENT_RANDOM", MasterSecret);
        Keys = KeyBlock12.Derive(Suite, MasterSecret, ClientRandom, ServerRandom);
    }

    public void Send(HandshakeMessage message)
    {
        Transcript.Add(message);
        Connection.SendHandshake(message);
    }

    /// <summary>Derives the master secret and key block once ClientKeyExchange is in the transcript (RFC 7627 §4).</summary>
    public void EstablishKeys(byte[] preMasterSecret)
    {
        MasterSecret = ExtendedMasterSecret
            ? Prf12.ExtendedMasterSecret(Suite.Hash, preMasterSecret, Transcript.CurrentHash())
            : Prf12.MasterSecret(Suite.Hash, preMasterSecret, ClientRandom, ServerRandom);
        CryptographicOperations.ZeroMemory(preMasterSecret);
        Connection.LogSecret("CLIENT_RANDOM", MasterSecret);
        Keys = KeyBlock12.Derive(Suite, MasterSecret, ClientRandom, ServerRandom);
    }

    internal ICertificateVerifier ClientVerifier() => Options.ResolveClientVerifier();

    public void ZeroSecrets()
    {
        CryptographicOperations.ZeroMemory(MasterSecret);
        Keys?.Dispose();
    }

    public void Dispose()
    {
        Transcript.Dispose();
        Ephemeral?.Dispose();
        Keys?.Dispose();
    }
}
