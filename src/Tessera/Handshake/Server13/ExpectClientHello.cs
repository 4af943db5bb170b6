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
        var offer = ClientHelloOffer.Parse(message);
        var version = Negotiation.VersionSelection.Choose(offer, cx.Options);
        if (version == ProtocolVersion.Tls12)
        {
            if (cx.Retry is not null) throw TlsException.Illegal("the second ClientHello no longer offers TLS 1.3");
            return Server12.ServerHandshake12.Respond(cx.Connection, cx.Options, message, offer);
        }
        // RFC 8446 §4.1.2: a TLS 1.3 ClientHello offers exactly the null compression method.
        if (!offer.NullCompressionOnly)
            throw TlsException.Illegal("ClientHello offers compression; TLS 1.3 forbids it");
        if (!offer.HasGroups)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has no supported_groups; Tessera requires (EC)DHE");
        if (!offer.HasKeyShares)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has supported_groups but no key_share (RFC 8446 §9.2)");
        if (!offer.HasSignatureSchemes)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has no signature_algorithms");

        var suite = ChooseSuite(offer.CipherSuites);
        var (credential, scheme) = Negotiation.CredentialSelection.ChooseTls13(offer, cx.Options);
        var (group, hasShare) = Negotiation.GroupSelection.ChooseTls13(offer, cx.Options, cx.Retry?.Group);
        var alpn = Negotiation.AlpnSelection.Choose(cx.Options, offer);

        if (cx.Retry is { } retry)
        {
            if (offer.KeyShares.Count != 1 || !hasShare || group != retry.Group)
                throw TlsException.Illegal($"the second ClientHello must carry exactly one key share, for {TlsNames.Of(retry.Group)}");
            if (retry.Cookie is not null && (!offer.HasCookie || !CryptographicOperations.FixedTimeEquals(offer.Cookie, retry.Cookie)))
                throw TlsException.Illegal("the second ClientHello does not echo the HelloRetryRequest cookie");
            if (retry.Cookie is null && offer.HasCookie)
                throw TlsException.Illegal("the second ClientHello carries a cookie the server never sent");
            if (offer.EarlyData) throw TlsException.Illegal("the second ClientHello offers early_data (RFC 8446 §4.2.10)");
            if (!offer.LegacySessionId.SequenceEqual(retry.SessionId))
                throw TlsException.Illegal("the second ClientHello changed legacy_session_id");
            // RFC 8446 §4.2.10: the skipped 0-RTT records precede this ClientHello; nothing after it is skipped.
            cx.Connection.EndEarlyDataSkip();
        }
        else if (!hasShare)
        {
            return SendHelloRetryRequest(message, offer, suite, group);
        }

        var resumed = PskAcceptance.TryAccept(cx, message, offer, suite);
        // The keys (with the schedule the binder was checked with) belong to the handshake from here, so a failure zeroes them.
        var keys = cx.Keys = new HandshakeKeys13(suite, resumed?.Schedule ?? new KeySchedule13(suite, provider: cx.Connection.CryptoProvider));
        return Respond(message, offer, keys, group, credential, scheme, alpn, resumed);
    }

    /// <summary>The suite (Negotiation.SuiteSelection); after a HelloRetryRequest, the one it named, which the client must still offer.</summary>
    private CipherSuiteInfo ChooseSuite(CodePointList offered)
    {
        if (cx.Retry is not { } retry) return Negotiation.SuiteSelection.ChooseTls13(offered, cx.Options);
        if (!offered.Contains((ushort)retry.Suite.Suite))
            throw TlsException.Illegal($"the second ClientHello no longer offers {retry.Suite.Name}");
        return retry.Suite;
    }

    private IHandshakeState SendHelloRetryRequest(HandshakeMessage clientHello, ClientHelloOffer hello, CipherSuiteInfo suite, NamedGroup group)
    {
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        cx.Transcript.ReplaceWithMessageHash();
        var cookie = cx.Options.TestHooks?.HelloRetryRequestCookie?.Invoke();
        // The transcript was replaced by the message hash above; the HelloRetryRequest follows it in (RFC 8446 §4.4.1).
        cx.Send(HandshakeType.ServerHello, (hello, (ushort)suite.Suite, group, cookie), static (w, h) =>
        {
            w.WriteUInt16((ushort)ProtocolVersion.Tls12);   // legacy_version
            w.WriteBytes(ServerHello.HelloRetryRequestRandom);
            w.WriteVector8(h.hello.LegacySessionId);
            w.WriteUInt16(h.Item2);
            w.WriteUInt8(0);                                  // legacy_compression_method
            using (w.BeginVector(2))
            {
                using (w.BeginExtension(ExtensionType.KeyShare)) KeyShareExtension.WriteHelloRetryRequest(w, h.group);
                if (h.cookie is not null)
                    using (w.BeginExtension(ExtensionType.Cookie)) CookieExtension.Write(w, h.cookie);
                using (w.BeginExtension(ExtensionType.SupportedVersions)) SupportedVersionsExtension.WriteServerHello(w, (ushort)ProtocolVersion.Tls13);
            }
        });
        // RFC 8446 D.4: the server's compatibility CCS follows its first handshake message.
        if (hello.LegacySessionId.Length > 0)
        {
            cx.Connection.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }
        cx.Retry = new ServerHandshake13.RetryState(suite, group, cookie, hello.LegacySessionId.ToArray());
        // RFC 8446 §4.2.10: a HelloRetryRequest rejects early data; the records that follow the first ClientHello are skipped.
        if (hello.EarlyData) cx.Connection.RejectEarlyData();
        cx.Connection.HelloRetryRequested = true;
        return this;
    }

    private IHandshakeState Respond(HandshakeMessage clientHello, ClientHelloOffer offer, HandshakeKeys13 keys, NamedGroup group,
        TlsCredential credential, SignatureScheme scheme, string? alpn, PskAcceptance.Accepted? resumed)
    {
        var conn = cx.Connection;
        var options = cx.Options;
        var hello = offer;
        var suite = keys.Suite;
        cx.ClientTakesTickets = offer.OffersPskDheKe;
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(clientHello);
        var clientHelloHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);

        var random = TlsRandom.Bytes(options.Random, 32);
        offer.KeyShares.Find(group, out var share);
        var answer = conn.CryptoProvider.AnswerKeyShare(group, share, options.Random);
        var shared = answer.SharedSecret;
        conn.ClientRandom = hello.Random.ToArray();
        cx.Send(HandshakeType.ServerHello, (random, hello, suite.Suite, group, answer.Share, PskIndex: resumed?.Index ?? -1), static (w, h) =>
        {
            w.WriteUInt16((ushort)ProtocolVersion.Tls12);   // legacy_version
            w.WriteBytes(h.random);
            w.WriteVector8(h.hello.LegacySessionId);
            w.WriteUInt16((ushort)h.Suite);
            w.WriteUInt8(0);                                  // legacy_compression_method
            using (w.BeginVector(2))
            {
                using (w.BeginExtension(ExtensionType.KeyShare)) KeyShareExtension.WriteEntry(w, h.group, h.Share);
                using (w.BeginExtension(ExtensionType.SupportedVersions)) SupportedVersionsExtension.WriteServerHello(w, (ushort)ProtocolVersion.Tls13);
                if (h.PskIndex >= 0)
                    using (w.BeginExtension(ExtensionType.PreSharedKey)) PreSharedKeyExtension.WriteServerHello(w, (ushort)h.PskIndex);
            }
        });
        if (hello.LegacySessionId.Length > 0 && !cx.ChangeCipherSpecSent)
        {
            conn.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }

        byte[]? clientEarlySecret = null;
        if (offer.EarlyData)
        {
            if (AcceptEarlyData(offer, suite, alpn, resumed))
            {
                clientEarlySecret = keys.Schedule.ClientEarlyTrafficSecret(clientHelloHash);
                conn.LogSecret("CLIENT_EARLY_TRAFFIC_SECRET", clientEarlySecret);
            }
            else
            {
                conn.RejectEarlyData();
            }
        }
        keys.Schedule.AdvanceToHandshake(shared);
        if (resumed is not null) conn.WasResumed = true;
        CryptographicOperations.ZeroMemory(shared);
        keys.DeriveHandshakeSecrets(cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]));
        conn.LogSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", keys.ClientHandshakeSecret);
        conn.LogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET", keys.ServerHandshakeSecret);
        conn.Negotiated(ProtocolVersion.Tls13, suite, group);
        conn.ServerName = offer.ServerName;
        conn.ApplicationProtocol = alpn;
        conn.SetWriteKeys(suite, keys.ServerHandshakeSecret, "server handshake keys");

        // EncryptedExtensions
        if (offer.RecordSizeLimit is { } peerLimit) conn.SetPeerRecordSizeLimit(peerLimit);
        var ee = (RecordSizeLimit: offer.RecordSizeLimit is not null, Limit: options.RecordSizeLimit ?? (ushort)16385, Sni: offer.ServerName is not null, Alpn: alpn, Early: clientEarlySecret is not null);
        if (options.TestHooks?.RewriteEncryptedExtensions is { } rewrite)
            cx.Send(rewrite(EncryptedExtensions.Decode(TlsExtension.BodyOf(ee, WriteEncryptedExtensions))).Encode());
        else
            cx.Send(HandshakeType.EncryptedExtensions, ee, WriteEncryptedExtensions);

        // RFC 8446 §2.2: a resumed handshake is authenticated by the PSK; no certificate messages.
        if (resumed is null) SendCertificateFlight(offer, credential, scheme);

        // Finished
        Span<byte> verifyData = stackalloc byte[suite.HashLength];
        KeySchedule13.ComputeFinished(suite.Hash, keys.ServerHandshakeSecret, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), verifyData, conn.CryptoProvider);
        var finished = Finished.Write(verifyData, stackalloc byte[HandshakeMessage.HeaderLength + Transcript.MaxHashLength]);
        cx.Transcript.Add(finished);
        conn.SendHandshake(HandshakeType.Finished, finished);

        var finishedHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);
        var secrets = keys.DeriveApplicationSecrets(finishedHash);
        conn.LogSecret("CLIENT_TRAFFIC_SECRET_0", secrets.Client);
        conn.LogSecret("SERVER_TRAFFIC_SECRET_0", secrets.Server);
        conn.LogSecret("EXPORTER_SECRET", secrets.Exporter);
        conn.SetWriteKeys(suite, secrets.Server, "server application keys");
        conn.ServerMayWriteEarly();   // RFC 8446 §2: the server may send data before the client's Finished (0.5-RTT)
        if (clientEarlySecret is not null)
        {
            conn.AcceptEarlyData(suite, clientEarlySecret, resumed!.State.MaxEarlyData);
            CryptographicOperations.ZeroMemory(clientEarlySecret);
            return new ExpectEndOfEarlyData(cx, keys);
        }
        conn.SetReadKeys(suite, keys.ClientHandshakeSecret, "client handshake keys");
        if (cx.CertificateRequestContext is not null) return new ExpectClientCertificate(cx, keys);
        cx.SendTicketsWithFirstFlight(keys, finishedHash);
        return new ExpectClientFinished(cx, keys);
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
            cx.RequestedSchemes = options.SignatureSchemes;
            cx.CertificateRequestContext = [];
            // Written in place (RFC 8446 §4.3.2): an empty context, then each extension straight into the message.
            cx.Send(HandshakeType.CertificateRequest, options, static (w, options) =>
            {
                w.WriteUInt8(0);   // certificate_request_context: empty during the handshake
                using (w.BeginVector(2))
                {
                    using (w.BeginExtension(ExtensionType.SignatureAlgorithms)) SignatureAlgorithmsExtension.Write(w, options.SignatureSchemes);
                    // RFC 8879 §3: the server offers to decompress the client's certificate in its CertificateRequest.
                    if (options.CertificateCompression.Count > 0)
                        using (w.BeginExtension(ExtensionType.CompressCertificate)) CompressCertificateExtension.Write(w, options.CertificateCompression);
                    if (options.ClientTrustStore is { Roots.Count: > 0 and <= 64 } roots)
                        using (w.BeginExtension(ExtensionType.CertificateAuthorities))
                        using (w.BeginVector(2))
                            foreach (var root in roots.Roots) w.WriteVector16(root.SubjectName.RawData);
                }
            });
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
        var content = CertificateVerifyContent.Build(server: true, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]),
            stackalloc byte[CertificateVerifyContent.MaxLength]);
        var signature = cx.Connection.CryptoProvider.Sign(credential.Key, scheme, content);
        cx.Send(HandshakeType.CertificateVerify, (scheme, signature), static (w, v) =>
        {
            w.WriteUInt16((ushort)v.scheme);
            w.WriteVector16(v.signature);
        });
    }

    /// <summary>
    /// EncryptedExtensions (RFC 8446 §4.3.1): the answers to what the client offered — record_size_limit (RFC 8449),
    /// an empty server_name saying SNI was used (RFC 6066 §3), the ALPN choice, early_data when 0-RTT is accepted.
    /// </summary>
    private static void WriteEncryptedExtensions(TlsWriter w, (bool RecordSizeLimit, ushort Limit, bool Sni, string? Alpn, bool Early) ee)
    {
        using (w.BeginVector(2))
        {
            if (ee.RecordSizeLimit)
                using (w.BeginExtension(ExtensionType.RecordSizeLimit)) RecordSizeLimitExtension.Write(w, ee.Limit);
            if (ee.Sni)
                using (w.BeginExtension(ExtensionType.ServerName)) { }
            if (ee.Alpn is { } alpn)
                using (w.BeginExtension(ExtensionType.ApplicationLayerProtocolNegotiation)) AlpnExtension.WriteSelection(w, alpn);
            if (ee.Early)
                using (w.BeginExtension(ExtensionType.EarlyData)) { }
        }
    }

}
