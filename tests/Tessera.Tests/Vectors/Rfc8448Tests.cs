using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Handshake;
using Tessera.KeySchedule;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Vectors;

/// <summary>
/// RFC 8448 traces replayed through Tessera's client and server with the RFC's randoms and private keys.
/// RFC 8448's peers offered groups and signature schemes Tessera will not offer (ffdhe, DSA, SHA-1); the
/// <see cref="HandshakeTestHooks"/> put those extension bytes on the wire while the key shares, cookies,
/// secrets, Finished values and records all come from Tessera.
/// </summary>
public sealed class Rfc8448Tests
{
    private static readonly VectorFile File = VectorFile.Load("rfc8448.vec");

    // ---------------------------------------------------------------- §3 Simple 1-RTT handshake

    [Fact]
    public void Section3_KeySchedule_ReproducesEverySecret()
    {
        var v = File["Section3"];
        var suite = CipherSuiteInfo.Aes128GcmSha256;
        using var ks = new KeySchedule13(suite);
        Assert.Equal(Hex.Of(v["Early_Secret"]), Hex.Of(ks.CurrentSecretForTests));
        ks.AdvanceToHandshake(v["Shared_Secret"]);
        Assert.Equal(Hex.Of(v["Handshake_Secret"]), Hex.Of(ks.CurrentSecretForTests));
        ks.AdvanceToMaster();
        Assert.Equal(Hex.Of(v["Master_Secret"]), Hex.Of(ks.CurrentSecretForTests));

        AssertKeys(suite, v["Server_Handshake_Traffic_Secret"], v["Server_Handshake_Key"], v["Server_Handshake_Iv"]);
        AssertKeys(suite, v["Client_Handshake_Traffic_Secret"], v["Client_Handshake_Key"], v["Client_Handshake_Iv"]);
        AssertKeys(suite, v["Server_Application_Traffic_Secret"], v["Server_Application_Key"], v["Server_Application_Iv"]);
        AssertKeys(suite, v["Client_Application_Traffic_Secret"], v["Client_Application_Key"], v["Client_Application_Iv"]);
    }

    private static void AssertKeys(CipherSuiteInfo suite, byte[] secret, byte[] key, byte[] iv)
    {
        var (k, i) = KeySchedule13.TrafficKeys(suite, secret);
        Assert.Equal(Hex.Of(key), Hex.Of(k));
        Assert.Equal(Hex.Of(iv), Hex.Of(i));
    }

    [Fact]
    public void Section3_Client_ReproducesClientHelloFinishedSecretsAndRecords()
    {
        var v = File["Section3"];
        var rfcHello = ParseClientHelloRecord(v["Record_ClientHello"]);
        var keyLog = new CapturingKeyLog();
        var verifier = new RecordingVerifier();
        var options = new TlsClientOptions
        {
            RecordHandshakeEvents = true,
            CipherSuites = [CipherSuite.TlsAes128GcmSha256, CipherSuite.TlsChaCha20Poly1305Sha256, CipherSuite.TlsAes256GcmSha384],
            KeyShareGroups = [NamedGroup.X25519],
            MiddleboxCompatibility = false,
            Random = new FixedRandom(v["Client_Random_Pool"]),
            KeyLog = keyLog,
            CertificateVerifier = verifier,
            TestHooks = new HandshakeTestHooks { RewriteClientHello = ours => WithRfcExtensions(ours, rfcHello) },
        };
        using var client = TlsConnection.CreateClient(options, "server");

        Assert.Equal(Hex.Of(v["Record_ClientHello"]), Hex.Of(Pump.Drain(client)));

        client.ReceiveTls(v["Record_ServerHello"]);
        client.ReceiveTls(v["Record_ServerHandshake"]);
        Assert.True(client.IsHandshakeComplete);
        Assert.Equal(Hex.Of(v["Record_ClientFinished"]), Hex.Of(Pump.Drain(client)));

        Assert.Equal(Hex.Of(v["Client_Handshake_Traffic_Secret"]), Hex.Of(keyLog.Secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"]));
        Assert.Equal(Hex.Of(v["Server_Handshake_Traffic_Secret"]), Hex.Of(keyLog.Secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"]));
        Assert.Equal(Hex.Of(v["Client_Application_Traffic_Secret"]), Hex.Of(keyLog.Secrets["CLIENT_TRAFFIC_SECRET_0"]));
        Assert.Equal(Hex.Of(v["Server_Application_Traffic_Secret"]), Hex.Of(keyLog.Secrets["SERVER_TRAFFIC_SECRET_0"]));
        Assert.Equal(Hex.Of(v["Exporter_Master_Secret"]), Hex.Of(keyLog.Secrets["EXPORTER_SECRET"]));
        Assert.Equal(Hex.Of(v["Resumption_Master_Secret"]), Hex.Of(client.ResumptionMasterSecretForTests));
        Assert.Equal(Hex.Of(v["Client_Finished_Verify_Data"]), client.HandshakeEvents.Last(e => e.MessageType == HandshakeType.Finished).Fields[0].Value);

        Assert.Equal(CipherSuite.TlsAes128GcmSha256, client.CipherSuite);
        Assert.Equal(NamedGroup.X25519, client.KeyExchangeGroup);
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, client.PeerSignatureScheme);
        Assert.Equal("server", verifier.Requests.Single().HostName);

        // After the handshake: the RFC's ticket is accepted, its application data decrypts, ours encrypts to the RFC's record.
        client.ReceiveTls(v["Record_NewSessionTicket"]);
        client.ReceiveTls(v["Record_Server_AppData"]);
        Assert.Equal(Hex.Of(v["AppData"]), Hex.Of(Pump.ReadAll(client)));
        client.Write(v["AppData"]);
        Assert.Equal(Hex.Of(v["Record_Client_AppData"]), Hex.Of(Pump.Drain(client)));
        client.Close();
        Assert.Equal(Hex.Of(v["Record_Client_CloseNotify"]), Hex.Of(Pump.Drain(client)));
        client.ReceiveTls(v["Record_Server_CloseNotify"]);
        Assert.True(client.IsPeerClosed);
    }

    [Fact]
    public void Section3_Server_ReproducesServerHelloFlightAndFinished()
    {
        var v = File["Section3"];
        var rfcEe = EncryptedExtensions.Decode(v["Message_EncryptedExtensions"].AsSpan(4));
        var keyLog = new CapturingKeyLog();
        using var server = TlsConnection.CreateServer(new TlsServerOptions
        {
            TicketCount = 0,   // the RFC's ticket came from NSS's own ticket format; its bytes cannot be reproduced
            Certificates = [RfcCredential(v)],
            Random = new FixedRandom(v["Server_Random_Pool"]),
            KeyLog = keyLog,
            TestHooks = new HandshakeTestHooks { RewriteEncryptedExtensions = ours => WithServerGroups(ours, rfcEe) },
        });

        server.ReceiveTls(v["Record_ClientHello"]);
        var flight = Pump.Drain(server);
        Assert.Equal(Hex.Of([.. v["Record_ServerHello"], .. v["Record_ServerHandshake"]]), Hex.Of(flight));
        Assert.Equal(Hex.Of(v["Server_Handshake_Traffic_Secret"]), Hex.Of(keyLog.Secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"]));
        Assert.Equal(Hex.Of(v["Server_Application_Traffic_Secret"]), Hex.Of(keyLog.Secrets["SERVER_TRAFFIC_SECRET_0"]));

        server.ReceiveTls(v["Record_ClientFinished"]);
        Assert.True(server.IsHandshakeComplete);
        Assert.Equal(Hex.Of(v["Resumption_Master_Secret"]), Hex.Of(server.ResumptionMasterSecretForTests));
        Assert.Equal("server", server.ServerName);

        server.ReceiveTls(v["Record_Client_AppData"]);
        Assert.Equal(Hex.Of(v["AppData"]), Hex.Of(Pump.ReadAll(server)));
        server.ReceiveTls(v["Record_Client_CloseNotify"]);
        Assert.True(server.IsPeerClosed);
    }

    // ---------------------------------------------------------------- §5 HelloRetryRequest

    [Fact]
    public void Section5_Client_AnswersHelloRetryRequestWithCookieAndP256Share()
    {
        var v = File["Section5"];
        var rfcHello1 = ParseClientHelloRecord(v["Record_ClientHello_1"]);
        var rfcHello2 = ParseClientHelloRecord(v["Record_ClientHello_2"]);
        var calls = 0;
        var options = new TlsClientOptions
        {
            CipherSuites = [CipherSuite.TlsAes128GcmSha256, CipherSuite.TlsChaCha20Poly1305Sha256, CipherSuite.TlsAes256GcmSha384],
            Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1],
            KeyShareGroups = [NamedGroup.X25519],
            MiddleboxCompatibility = false,
            Random = new FixedRandom(v["Client_Random_Pool"]),
            CertificateVerifier = new RecordingVerifier(),
            TestHooks = new HandshakeTestHooks { RewriteClientHello = ours => WithRfcExtensions(ours, calls++ == 0 ? rfcHello1 : rfcHello2) },
        };
        using var client = TlsConnection.CreateClient(options, "server");
        Assert.Equal(Hex.Of(v["Record_ClientHello_1"]), Hex.Of(Pump.Drain(client)));

        client.ReceiveTls(v["Record_HelloRetryRequest"]);
        // Our P-256 share (from the RFC's private key) and the echoed cookie make the RFC's second ClientHello.
        Assert.Equal(Hex.Of(v["Record_ClientHello_2"]), Hex.Of(Pump.Drain(client)));
        Assert.True(client.HelloRetryRequested);

        client.ReceiveTls(v["Record_ServerHello"]);
        client.ReceiveTls(v["Record_ServerHandshake"]);
        Assert.True(client.IsHandshakeComplete);
        Assert.Equal(NamedGroup.Secp256r1, client.KeyExchangeGroup);
        Assert.Equal(Hex.Of(v["Record_ClientFinished"]), Hex.Of(Pump.Drain(client)));
        client.Close();
        Assert.Equal(Hex.Of(v["Record_Client_CloseNotify"]), Hex.Of(Pump.Drain(client)));
    }

    [Fact]
    public void Section5_Server_SendsHelloRetryRequestThenReproducesFlight()
    {
        var v = File["Section5"];
        var rfcEe = EncryptedExtensions.Decode(v["Message_EncryptedExtensions"].AsSpan(4));
        using var server = TlsConnection.CreateServer(new TlsServerOptions
        {
            TicketCount = 0,   // the RFC's ticket came from NSS's own ticket format; its bytes cannot be reproduced
            Certificates = [RfcCredential(v, File["Section3"]["Message_Certificate"])],
            Groups = [NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.X25519],
            HelloRetryForPreferredGroup = true,
            Random = new FixedRandom(v["Server_Random_Pool"]),
            TestHooks = new HandshakeTestHooks
            {
                RewriteEncryptedExtensions = ours => WithServerGroups(ours, rfcEe),
                HelloRetryRequestCookie = () => v["Cookie"],
            },
        });

        server.ReceiveTls(v["Record_ClientHello_1"]);
        Assert.Equal(Hex.Of(v["Record_HelloRetryRequest"]), Hex.Of(Pump.Drain(server)));
        server.ReceiveTls(v["Record_ClientHello_2"]);
        Assert.Equal(Hex.Of([.. v["Record_ServerHello"], .. v["Record_ServerHandshake"]]), Hex.Of(Pump.Drain(server)));
        server.ReceiveTls(v["Record_ClientFinished"]);
        Assert.True(server.IsHandshakeComplete);
        Assert.True(server.HelloRetryRequested);
        server.Close();
        Assert.Equal(Hex.Of(v["Record_Server_CloseNotify"]), Hex.Of(Pump.Drain(server)));
    }

    // ---------------------------------------------------------------- helpers

    private static ClientHello ParseClientHelloRecord(byte[] record) => ClientHello.Decode(record.AsSpan(5 + 4));

    /// <summary>The RFC's extension list, in its order, with Tessera's own key_share and cookie bodies.</summary>
    private static ClientHello WithRfcExtensions(ClientHello ours, ClientHello rfc)
    {
        var list = new List<TlsExtension>();
        foreach (var e in rfc.Extensions)
        {
            if (e.Type is ExtensionType.KeyShare or ExtensionType.Cookie)
                list.Add(ours.Extensions.Single(x => x.Type == e.Type));
            else
                list.Add(e);
        }
        return new ClientHello
        {
            Random = ours.Random,
            LegacySessionId = ours.LegacySessionId,
            CipherSuites = ours.CipherSuites,
            Extensions = list,
        };
    }

    /// <summary>NSS advertised its groups in EncryptedExtensions; Tessera does not, so the test adds the RFC's body in front.</summary>
    private static EncryptedExtensions WithServerGroups(EncryptedExtensions ours, EncryptedExtensions rfc) => new()
    {
        Extensions = [rfc.Extensions.Single(e => e.Type == ExtensionType.SupportedGroups), .. ours.Extensions],
    };

    private static TlsCredential RfcCredential(VectorFile.Section v, byte[]? certificateMessage = null)
    {
        var cm = CertificateMessage.Decode((certificateMessage ?? v["Message_Certificate"]).AsSpan(4));
        var cert = X509CertificateLoader.LoadCertificate(cm.Entries[0].CertData);
        return new TlsCredential([cert], new RecordedSigner(cert, v["Server_SignedContent"], v["Server_Signature"]));
    }

    /// <summary>
    /// RSA-PSS is randomized, so the RFC's signature cannot be recomputed. This signer checks that the content
    /// Tessera asks it to sign is exactly the RFC's, and that the RFC's signature verifies over it.
    /// </summary>
    private sealed class RecordedSigner(X509Certificate2 cert, byte[] expectedContent, byte[] signature) : TlsSigningKey
    {
        public override IReadOnlyList<SignatureScheme> Schemes { get; } = [SignatureScheme.RsaPssRsaeSha256];

        public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
        {
            Assert.Equal(SignatureScheme.RsaPssRsaeSha256, scheme);
            Assert.Equal(Hex.Of(expectedContent), Hex.Of(data));
            Assert.True(SignatureVerifier.Verify(scheme, cert, data, signature));
            return signature;
        }
    }

    /// <summary>RFC 8448's certificate is a self-signed RSA-1024 "rsa" that expired in 2026; the trace is about the protocol.</summary>
    private sealed class RecordingVerifier : ICertificateVerifier
    {
        public List<CertificateVerificationRequest> Requests { get; } = [];
        public void Verify(CertificateVerificationRequest request) => Requests.Add(request);
    }
}
