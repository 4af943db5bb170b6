using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Handshake.Server13;

/// <summary>
/// Waits for ClientHello (or, after a HelloRetryRequest, the second one), chooses version, suite, group,
/// certificate, signature scheme and ALPN, and sends the whole server flight.
/// </summary>
internal sealed class ExpectClientHello(ServerHandshake13 cx) : IHandshakeState
{
    public string Expecting => cx.Retry is null ? "waiting for ClientHello" : "waiting for the second ClientHello";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.ClientHello, Expecting);
        var hello = ClientHello.Decode(message.Body);
        var offer = ClientHelloOffer.Parse(hello);
        var version = VersionSelection.Choose(offer, cx.Options);
        if (version == ProtocolVersion.Tls12)
        {
            if (cx.Retry is not null) throw TlsException.Illegal("the second ClientHello no longer offers TLS 1.3");
            return Server12.ServerHandshake12.Respond(cx.Connection, cx.Options, message, offer);
        }
        // RFC 8446 §4.1.2: a TLS 1.3 ClientHello offers exactly the null compression method.
        if (hello.LegacyCompressionMethods is not [0])
            throw TlsException.Illegal("ClientHello offers compression; TLS 1.3 forbids it");
        if (offer.Groups is null)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has no supported_groups; Tessera requires (EC)DHE");
        if (offer.KeyShares is null)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has supported_groups but no key_share (RFC 8446 §9.2)");
        if (offer.SignatureSchemes is null)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has no signature_algorithms");

        var suite = ChooseSuite(hello);
        var (credential, scheme) = ChooseCredential(offer);
        var (group, share) = ChooseGroup(offer);
        var alpn = ChooseAlpn(offer);

        if (cx.Retry is { } retry)
        {
            if (offer.KeyShares.Count != 1 || share is null || group != retry.Group)
                throw TlsException.Illegal($"the second ClientHello must carry exactly one key share, for {TlsNames.Of(retry.Group)}");
            if (retry.Cookie is not null && (offer.Cookie is null || !CryptographicOperations.FixedTimeEquals(offer.Cookie, retry.Cookie)))
                throw TlsException.Illegal("the second ClientHello does not echo the HelloRetryRequest cookie");
            if (retry.Cookie is null && offer.Cookie is not null)
                throw TlsException.Illegal("the second ClientHello carries a cookie the server never sent");
            if (offer.EarlyData) throw TlsException.Illegal("the second ClientHello offers early_data (RFC 8446 §4.2.10)");
            if (!hello.LegacySessionId.AsSpan().SequenceEqual(retry.SessionId))
                throw TlsException.Illegal("the second ClientHello changed legacy_session_id");
            // RFC 8446 §4.2.10: the skipped 0-RTT records precede this ClientHello; nothing after it is skipped.
            cx.Connection.EndEarlyDataSkip();
        }
        else if (share is null)
        {
            return SendHelloRetryRequest(message, hello, suite, group);
        }

        var resumed = PskAcceptance.TryAccept(cx, message, offer, suite);
        return Respond(message, offer, suite, group, share!, credential, scheme, alpn, resumed);
    }

    private CipherSuiteInfo ChooseSuite(ClientHello hello)
    {
        var options = cx.Options;
        if (cx.Retry is { } retry)
        {
            if (!hello.CipherSuites.Contains((ushort)retry.Suite.Suite))
                throw TlsException.Illegal($"the second ClientHello no longer offers {retry.Suite.Name}");
            return retry.Suite;
        }
        if (options.PreferChaCha20WhenClientDoes && options.CipherSuites.Contains(CipherSuite.TlsChaCha20Poly1305Sha256))
        {
            foreach (var s in hello.CipherSuites.Each())
            {
                if (CipherSuiteInfo.Find(s, ProtocolVersion.Tls13) is null) continue;   // skip GREASE, TLS 1.2 and legacy suites
                if (s == (ushort)CipherSuite.TlsChaCha20Poly1305Sha256) return CipherSuiteInfo.ChaCha20Poly1305Sha256;
                break;
            }
        }
        if (options.PreferServerCipherSuiteOrder)
        {
            foreach (var s in options.CipherSuites.Each())
                if (CipherSuiteInfo.Find((ushort)s, ProtocolVersion.Tls13) is { } info && hello.CipherSuites.Contains((ushort)s)) return info;
        }
        else
        {
            foreach (var s in hello.CipherSuites.Each())
                if (CipherSuiteInfo.Find(s, ProtocolVersion.Tls13) is { } info && options.CipherSuites.Contains(info.Suite)) return info;
        }
        var offered = PeerText.List(hello.CipherSuites, s => TlsNames.Of((CipherSuite)s));
        var accepted = string.Join(", ", options.CipherSuites.Where(s => CipherSuiteInfo.Get(s).IsTls13).Select(TlsNames.Of));
        throw TlsException.HandshakeFailure($"no cipher suite in common: the client offered {offered}; Tessera accepts {accepted}");
    }

    private (TlsCredential Credential, SignatureScheme Scheme) ChooseCredential(ClientHelloOffer offer)
    {
        var offered = offer.SignatureSchemes!;
        var schemes = new List<SignatureScheme>(offered.Count);
        for (var i = 0; i < offered.Count; i++)
            if (SignatureSchemes.IsUsableInTls13(offered[i])) schemes.Add(offered[i]);
        if (cx.Options.CertificateSelector is { } select &&
            select(new Connection.ServerCertificateSelectionContext(offer.ServerName, schemes)) is { } chosen)
        {
            var s = chosen.ChooseScheme(schemes)
                ?? throw TlsException.HandshakeFailure($"the selected certificate's key cannot sign with any scheme the client accepts ({Names(schemes)})");
            return (chosen, s);
        }
        // By SNI (ServerNameLookup: a certificate naming the host, then one whose wildcard covers it), among those
        // whose key can sign with a scheme the client accepts; else the first such certificate.
        TlsCredential? firstSigning = null;
        foreach (var c in cx.Options.Certificates)
            if (c.ChooseScheme(schemes) is not null) { firstSigning = c; break; }
        var credential = Connection.ServerNameLookup.Resolve(offer.ServerName, name => Naming(name, schemes), firstSigning)
            ?? throw TlsException.HandshakeFailure($"no certificate can sign with a scheme the client accepts ({Names(schemes)})");
        return (credential, credential.ChooseScheme(schemes)!.Value);
    }

    /// <summary>The first certificate with <paramref name="name"/> (a host name or "*.parent") among its DNS names that can sign with one of <paramref name="schemes"/>.</summary>
    private TlsCredential? Naming(string name, List<SignatureScheme> schemes)
    {
        foreach (var c in cx.Options.Certificates)
            if (c.ChooseScheme(schemes) is not null && c.HasDnsName(name)) return c;
        return null;
    }

    private (NamedGroup Group, KeyShareEntry? Share) ChooseGroup(ClientHelloOffer offer)
    {
        var common = new List<NamedGroup>();
        foreach (var g in cx.Options.Groups)
            if (offer.Groups!.Contains(g)) common.Add(g);
        if (common.Count == 0)
            throw GroupRefusal.NoCommonGroup(offer.Groups!, cx.Options.Groups);
        if (cx.Retry is { } retry) return (retry.Group, offer.KeyShares!.Find(k => k.Group == retry.Group));
        if (cx.Options.HelloRetryForPreferredGroup) return (common[0], offer.KeyShares!.Find(k => k.Group == common[0]));
        foreach (var g in common)
            if (offer.KeyShares!.Find(k => k.Group == g) is { } share) return (g, share);
        return (common[0], null);
    }

    private string? ChooseAlpn(ClientHelloOffer offer) => AlpnSelection.Choose(cx.Options, offer);

    private IHandshakeState SendHelloRetryRequest(HandshakeMessage clientHello, ClientHello hello, CipherSuiteInfo suite, NamedGroup group)
    {
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        cx.Transcript.ReplaceWithMessageHash();
        var cookie = cx.Options.TestHooks?.HelloRetryRequestCookie?.Invoke();
        var extensions = new List<TlsExtension> { new(ExtensionType.KeyShare, TlsExtension.BodyOf(group, KeyShareExtension.WriteHelloRetryRequest)) };
        if (cookie is not null) extensions.Add(new(ExtensionType.Cookie, TlsExtension.BodyOf(cookie, static (w, c) => CookieExtension.Write(w, c))));
        extensions.Add(new(ExtensionType.SupportedVersions, TlsExtension.BodyOf((ushort)ProtocolVersion.Tls13, SupportedVersionsExtension.WriteServerHello)));
        var hrr = new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom.ToArray(),
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = (ushort)suite.Suite,
            Extensions = extensions,
        };
        cx.Send(hrr.Encode());
        // RFC 8446 D.4: the server's compatibility CCS follows its first handshake message.
        if (hello.LegacySessionId.Length > 0)
        {
            cx.Connection.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }
        cx.Retry = new ServerHandshake13.RetryState(suite, group, cookie, hello.LegacySessionId);
        // RFC 8446 §4.2.10: a HelloRetryRequest rejects early data; the records that follow the first ClientHello are skipped.
        if (TlsExtension.Find(hello.Extensions, ExtensionType.EarlyData) is not null) cx.Connection.RejectEarlyData();
        cx.Connection.HelloRetryRequested = true;
        return this;
    }

    private IHandshakeState Respond(HandshakeMessage clientHello, ClientHelloOffer offer, CipherSuiteInfo suite, NamedGroup group,
        KeyShareEntry share, TlsCredential credential, SignatureScheme scheme, string? alpn, PskAcceptance.Accepted? resumed)
    {
        var conn = cx.Connection;
        var options = cx.Options;
        var hello = offer.Hello;
        cx.Suite = suite;
        cx.ClientTakesTickets = offer.PskModes is { } modes && Array.IndexOf(modes, (byte)1) >= 0;
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        var clientHelloHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);

        var random = TlsRandom.Bytes(options.Random, 32);
        var answer = conn.CryptoProvider.AnswerKeyShare(group, share.KeyExchange, options.Random);
        var shared = answer.SharedSecret;
        var mine = new KeyShareEntry(group, answer.Share);
        conn.ClientRandom = hello.Random;
        var serverHello = new ServerHello
        {
            Random = random,
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = (ushort)suite.Suite,
            Extensions =
            [
                new(ExtensionType.KeyShare, TlsExtension.BodyOf(mine, static (w, e) => KeyShareExtension.WriteEntry(w, e.Group, e.KeyExchange))),
                new(ExtensionType.SupportedVersions, TlsExtension.BodyOf((ushort)ProtocolVersion.Tls13, SupportedVersionsExtension.WriteServerHello)),
            ],
        };
        if (resumed is not null)
            serverHello.Extensions.Add(new(ExtensionType.PreSharedKey, TlsExtension.BodyOf((ushort)resumed.Index, PreSharedKeyExtension.WriteServerHello)));
        cx.Send(serverHello.Encode());
        if (hello.LegacySessionId.Length > 0 && !cx.ChangeCipherSpecSent)
        {
            conn.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }

        cx.Schedule = resumed is null ? new KeySchedule13(suite, provider: conn.CryptoProvider) : new KeySchedule13(suite, resumed.Psk, conn.CryptoProvider);
        byte[]? clientEarlySecret = null;
        if (offer.EarlyData)
        {
            if (AcceptEarlyData(offer, suite, alpn, resumed))
            {
                clientEarlySecret = cx.Schedule.ClientEarlyTrafficSecret(clientHelloHash);
                conn.LogSecret("CLIENT_EARLY_TRAFFIC_SECRET", clientEarlySecret);
            }
            else
            {
                conn.RejectEarlyData();
            }
        }
        cx.Schedule.AdvanceToHandshake(shared);
        if (resumed is not null) conn.WasResumed = true;
        CryptographicOperations.ZeroMemory(shared);
        var helloHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);
        var serverHs = cx.Schedule.ServerHandshakeTrafficSecret(helloHash);
        cx.ClientHandshakeSecret = cx.Schedule.ClientHandshakeTrafficSecret(helloHash);
        conn.LogSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", cx.ClientHandshakeSecret);
        conn.LogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET", serverHs);
        conn.Negotiated(ProtocolVersion.Tls13, suite, group);
        conn.ServerName = offer.ServerName;
        conn.ApplicationProtocol = alpn;
        conn.SetWriteKeys(suite, serverHs, "server handshake keys");

        // EncryptedExtensions
        var ee = new List<TlsExtension>();
        if (offer.RecordSizeLimit is { } peerLimit)
        {
            conn.SetPeerRecordSizeLimit(peerLimit);
            ee.Add(new(ExtensionType.RecordSizeLimit, RecordSizeLimitExtension.Body(options.RecordSizeLimit ?? 16385)));
        }
        if (offer.ServerName is not null) ee.Add(new(ExtensionType.ServerName, []));
        if (alpn is not null) ee.Add(new(ExtensionType.ApplicationLayerProtocolNegotiation, AlpnExtension.Body([alpn])));
        if (clientEarlySecret is not null) ee.Add(new(ExtensionType.EarlyData, []));
        var encryptedExtensions = new EncryptedExtensions { Extensions = ee };
        if (options.TestHooks?.RewriteEncryptedExtensions is { } rewrite) encryptedExtensions = rewrite(encryptedExtensions);
        cx.Send(encryptedExtensions.Encode());

        // RFC 8446 §2.2: a resumed handshake is authenticated by the PSK; no certificate messages.
        if (resumed is null) SendCertificateFlight(offer, credential, scheme);

        // Finished
        var verifyData = KeySchedule13.ComputeFinished(suite.Hash, serverHs, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), conn.CryptoProvider);
        cx.Send(new Finished { VerifyData = verifyData }.Encode());

        var finishedHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);
        cx.Schedule.AdvanceToMaster();
        cx.ClientApplicationSecret = cx.Schedule.ClientApplicationTrafficSecret(finishedHash);
        cx.ServerApplicationSecret = cx.Schedule.ServerApplicationTrafficSecret(finishedHash);
        cx.ExporterSecret = cx.Schedule.ExporterMasterSecret(finishedHash);
        conn.LogSecret("CLIENT_TRAFFIC_SECRET_0", cx.ClientApplicationSecret);
        conn.LogSecret("SERVER_TRAFFIC_SECRET_0", cx.ServerApplicationSecret);
        conn.LogSecret("EXPORTER_SECRET", cx.ExporterSecret);
        conn.SetWriteKeys(suite, cx.ServerApplicationSecret, "server application keys");
        conn.ServerMayWriteEarly();   // RFC 8446 §2: the server may send data before the client's Finished (0.5-RTT)
        CryptographicOperations.ZeroMemory(serverHs);
        if (clientEarlySecret is not null)
        {
            conn.AcceptEarlyData(suite, clientEarlySecret, resumed!.State.MaxEarlyData);
            CryptographicOperations.ZeroMemory(clientEarlySecret);
            return new ExpectEndOfEarlyData(cx);
        }
        conn.SetReadKeys(suite, cx.ClientHandshakeSecret, "client handshake keys");
        if (cx.CertificateRequestContext is not null) return new ExpectClientCertificate(cx);
        cx.SendTicketsWithFirstFlight(finishedHash);
        return new ExpectClientFinished(cx);
    }

    /// <summary>
    /// RFC 8446 §4.2.10: early data only on the first PSK, with the ticket's own suite and ALPN, from a fresh
    /// ClientHello (the client's view of the ticket age agrees with ours), when the server allows it.
    /// </summary>
    private bool AcceptEarlyData(ClientHelloOffer offer, CipherSuiteInfo suite, string? alpn, PskAcceptance.Accepted? resumed)
    {
        var options = cx.Options;
        if (resumed is not { Index: 0 } || cx.Retry is not null || options.MaxEarlyData == 0 || resumed.State.MaxEarlyData == 0) return false;
        if (resumed.State.Suite != suite.Suite || resumed.State.ApplicationProtocol != alpn) return false;
        if ((resumed.ClientReportedAge - resumed.Age).Duration() > options.TicketAgeTolerance) return false;
        return options.AcceptEarlyData?.Invoke(new Connection.EarlyDataRequest(offer.ServerName, alpn, resumed.Age)) ?? true;
    }

    private void SendCertificateFlight(ClientHelloOffer offer, TlsCredential credential, SignatureScheme scheme)
    {
        var conn = cx.Connection;
        var options = cx.Options;

        // CertificateRequest
        var requestCertificate = options.ClientCertificateMode != Connection.ClientCertificateMode.None;
        if (requestCertificate)
        {
            var extensions = new List<TlsExtension>
            {
                new(ExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Body(options.SignatureSchemes)),
            };
            // RFC 8879 §3: the server offers to decompress the client's certificate in its CertificateRequest.
            if (options.CertificateCompression.Count > 0)
                extensions.Add(new(ExtensionType.CompressCertificate, TlsExtension.BodyOf(options.CertificateCompression, CompressCertificateExtension.Write)));
            if (options.ClientTrustStore is { Roots.Count: > 0 and <= 64 } roots)
                extensions.Add(new(ExtensionType.CertificateAuthorities,
                    TlsExtension.BodyOf(roots.Roots.Select(r => r.SubjectName.RawData).ToList(), CertificateAuthoritiesExtension.Write)));
            cx.RequestedSchemes = options.SignatureSchemes;
            cx.CertificateRequestContext = [];
            cx.Send(new CertificateRequest { Context = [], Extensions = extensions }.Encode());
        }

        // Certificate: the same bytes every time (stapled or not, compressed or not), encoded and compressed once per
        // credential. RFC 8879 §4: compressed with the first of our algorithms the client listed, sent in its place.
        var stapled = offer.StatusRequest && credential.OcspResponse is not null;
        var plain = stapled ? credential.StapledCertificate13 : credential.Certificate13;
        if (Handshake.CertificateCompressor.Choose(options.CertificateCompression, offer.CertificateCompression) is { } algorithm)
        {
            var compressed = credential.CompressedCertificate13(algorithm, stapled);
            cx.Send(compressed);
            conn.SentCertificateCompression = new Connection.CertificateCompressionResult(algorithm, plain.Length, compressed.Length);
        }
        else
        {
            cx.Send(plain);
        }
        conn.LocalCertificate = credential;

        // CertificateVerify
        var content = CertificateVerifyContent.Build(server: true, cx.Transcript.CurrentHash());
        cx.Send(new CertificateVerify { Scheme = scheme, Signature = cx.Connection.CryptoProvider.Sign(credential.Key, scheme, content) }.Encode());
    }

    private static string Names(IEnumerable<SignatureScheme> schemes) => PeerText.List(schemes, TlsNames.Of);
}
