using System.Text;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>TLS 1.2 between two Tessera endpoints: every suite and group, version negotiation, EMS, fallback, mTLS.</summary>
public sealed class Tls12HandshakeTests
{
    private static readonly TestPki ClientPki = new("Tessera TLS 1.2 Client CA");

    public static TheoryData<CipherSuite, NamedGroup> Suites()
    {
        var data = new TheoryData<CipherSuite, NamedGroup>();
        foreach (var suite in new[]
        {
            CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256, CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256,
            CipherSuite.TlsEcdheRsaWithAes128GcmSha256, CipherSuite.TlsEcdheRsaWithAes256GcmSha384, CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256,
        })
            foreach (var group in new[] { NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1, NamedGroup.X448 })
                data.Add(suite, group);
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Tls12_Completes_ForEverySuiteAndGroup(CipherSuite suite, NamedGroup group)
    {
        var info = CipherSuiteInfo.Get(suite);
        var credential = Pair.Pki.Shared(info.Authentication == SuiteAuthentication.Rsa ? KeyKind.Rsa2048 : KeyKind.EcdsaP256);
        var clientLog = new CapturingKeyLog();
        // RFC 8422 §5.1: the ECDSA certificate's curve (P-256) must be among the client's groups too.
        NamedGroup[] groups = group == NamedGroup.Secp256r1 ? [group] : [group, NamedGroup.Secp256r1];
        var client = Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, CipherSuites = [suite], Groups = groups, KeyLog = clientLog };
        var serverLog = new CapturingKeyLog();
        var (c, s) = Pair.Connect(client, Pair.Server(credential) with { KeyLog = serverLog, Groups = groups });
        using (c)
        using (s)
        {
            Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
            Assert.Equal(ProtocolVersion.Tls12, s.NegotiatedVersion);
            Assert.Equal(suite, c.CipherSuite);
            Assert.Equal(suite, s.CipherSuite);
            Assert.Equal(group, c.KeyExchangeGroup);
            Assert.Equal(group, s.KeyExchangeGroup);
            Pair.Exchange(c, s, Encoding.ASCII.GetBytes("tls 1.2 works"));
            Pair.Exchange(c, s, new byte[40_000]);   // several records each way
            // Both sides derived the same master secret, logged as CLIENT_RANDOM for Wireshark.
            Assert.Equal(48, clientLog.Secrets["CLIENT_RANDOM"].Length);
            Assert.Equal(clientLog.Secrets["CLIENT_RANDOM"], serverLog.Secrets["CLIENT_RANDOM"]);
            Assert.Equal(c.ExportKeyingMaterial("EXPORTER-test", [], 32), s.ExportKeyingMaterial("EXPORTER-test", [], 32));
            Assert.Equal(c.ExportKeyingMaterial("EXPORTER-test", [1, 2], 32), s.ExportKeyingMaterial("EXPORTER-test", [1, 2], 32));
            Assert.NotEqual(c.ExportKeyingMaterial("EXPORTER-test", [], 32), c.ExportKeyingMaterial("EXPORTER-test", [1, 2], 32));
        }
    }

    [Theory]
    [InlineData(KeyKind.EcdsaP384)]
    [InlineData(KeyKind.Ed25519)]
    [InlineData(KeyKind.RsaPss2048)]
    public void Tls12_Completes_WithOtherCertificateKeys(KeyKind kind)
    {
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, CertificateProfile = TestPki.ProfileFor(kind) }, Pair.Server(Pair.Pki.Shared(kind)));
        using (c)
        using (s)
        {
            Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
            Pair.Exchange(c, s, [1, 2, 3]);
        }
    }

    [Fact]
    public void Tls12_TracesEveryMessage()
    {
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, RecordHandshakeEvents = true }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s)
        {
            var names = c.HandshakeEvents.Where(e => e.Kind is HandshakeEventKind.Message or HandshakeEventKind.ChangeCipherSpec).Select(e => $"{e.Direction}:{e.Name}").ToArray();
            Assert.Equal(
            [
                "Sent:ClientHello", "Received:ServerHello", "Received:Certificate", "Received:ServerKeyExchange", "Received:ServerHelloDone",
                "Sent:ClientKeyExchange", "Sent:ChangeCipherSpec", "Sent:Finished", "Received:NewSessionTicket", "Received:ChangeCipherSpec", "Received:Finished",
            ], names);
            var ske = c.HandshakeEvents.Single(e => e.Name == "ServerKeyExchange");
            Assert.Contains(ske.Fields, f => f.Key == "named_curve" && f.Value == "x25519");
        }
    }

    [Fact]
    public void BothSidesWithTls13_Negotiate13()
    {
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s) Assert.Equal(ProtocolVersion.Tls13, c.NegotiatedVersion);
    }

    [Fact]
    public void ServerCappedAt12_Negotiates12_AndClientAcceptsWithoutSentinel()
    {
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { MaxVersion = ProtocolVersion.Tls12 });
        using (c)
        using (s)
        {
            Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
            Pair.Exchange(c, s, [42]);
        }
    }

    [Fact]
    public void Tls13OnlyServer_RefusesTls12Client_WithProtocolVersion()
    {
        using var c = TlsConnection.CreateClient(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { MinVersion = ProtocolVersion.Tls13 });
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.ProtocolVersion, e.Alert);
        Assert.Contains("TLS 1.3 only", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithoutExtendedMasterSecret_TheFullHandshakeWorks_ButIsNeverResumedTicketedOrExported(bool tickets)
    {
        // RFC 7627 §5.3–5.4, and what OpenSSL, Go and rustls servers do: scanners and older peers omit the extension.
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12, RecordHandshakeEvents = true,
            TestHooks = new() { RewriteClientHello = h => Without(h, ExtensionType.ExtendedMasterSecret) },
        };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        if (!tickets) server = server with { TicketProtector = null };   // session IDs instead
        for (var round = 0; round < 2; round++)
        {
            var (c, s) = Pair.Connect(client, server);
            using (c)
            using (s)
            {
                Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
                Assert.False(c.ExtendedMasterSecret);
                Assert.False(s.ExtendedMasterSecret);
                Assert.False(c.WasResumed);
                Assert.False(s.WasResumed);          // in round 2 too: no ticket and no session ID was kept
                Assert.DoesNotContain(c.HandshakeEvents, e => e.Name == "NewSessionTicket");
                var serverHello = c.HandshakeEvents.Single(e => e.Name == "ServerHello").Fields;
                Assert.DoesNotContain(serverHello, f => f.Key.Contains("session_ticket", StringComparison.Ordinal));
                Assert.Throws<InvalidOperationException>(() => c.ExportKeyingMaterial("EXPORTER-test", [], 32));
                Assert.Throws<InvalidOperationException>(() => s.ExportKeyingMaterial("EXPORTER-test", [], 32));
                Pair.Exchange(c, s, [7]);
            }
        }
    }

    [Fact]
    public void RequireExtendedMasterSecret_RefusesAPeerWithoutIt_OnEitherSide()
    {
        var noEms = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new() { RewriteClientHello = h => Without(h, ExtensionType.ExtendedMasterSecret) },
        };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        using (var c = TlsConnection.CreateClient(noEms, "example.test"))
        using (var s = TlsConnection.CreateServer(server with { RequireExtendedMasterSecret = true }))
        {
            var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
            Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
            Assert.Contains("extended master secret", e.Message, StringComparison.Ordinal);
            Assert.False(e.IsFromPeer);
        }
        // The client's ClientHello lacks it, so the server's answer lacks it, and a strict client refuses that answer.
        using (var c = TlsConnection.CreateClient(noEms with { RequireExtendedMasterSecret = true }, "example.test"))
        using (var s = TlsConnection.CreateServer(server))
        {
            var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
            Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
            Assert.False(c.IsHandshakeComplete);
            Assert.Contains("extended master secret", (c.Failure ?? e).Message, StringComparison.Ordinal);
        }
        // Both sides with it: the strict options change nothing.
        var (c2, s2) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, RequireExtendedMasterSecret = true }, server with { RequireExtendedMasterSecret = true });
        using (c2)
        using (s2)
        {
            Assert.True(c2.ExtendedMasterSecret);
            Assert.Equal(32, c2.ExportKeyingMaterial("EXPORTER-test", [], 32).Length);
        }
    }

    [Fact]
    public void Server_RefusesFallbackScsv_WhenItSupports13()
    {
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new() { RewriteClientHello = h => WithSuites(h, [.. h.CipherSuites, (ushort)CipherSuite.TlsFallbackScsv]) },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.InappropriateFallback, e.Alert);
    }

    [Fact]
    public void Server_AcceptsFallbackScsv_WhenTls12IsItsBest()
    {
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new() { RewriteClientHello = h => WithSuites(h, [.. h.CipherSuites, (ushort)CipherSuite.TlsFallbackScsv]) },
        };
        var (c, s) = Pair.Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { MaxVersion = ProtocolVersion.Tls12 });
        using (c)
        using (s) Assert.Equal(ProtocolVersion.Tls12, s.NegotiatedVersion);
    }

    [Fact]
    public void Server_RefusesLegacyOnlySuites_NamingThem()
    {
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new() { RewriteClientHello = h => WithSuites(h, [0xc013, 0x002f, 0x000a, 0x0005]) },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
        Assert.Contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", e.Message, StringComparison.Ordinal);
        Assert.Contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA", e.Message, StringComparison.Ordinal);
        Assert.Contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((ushort)0x0300, "SSL 3.0")]
    [InlineData((ushort)0x0301, "TLS 1.0")]
    [InlineData((ushort)0x0302, "TLS 1.1")]
    public void Server_RefusesOldVersions_WithProtocolVersion(ushort legacyVersion, string name)
    {
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new() { RewriteClientHello = h => new ClientHello { LegacyVersion = legacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites, Extensions = h.Extensions } },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.ProtocolVersion, e.Alert);
        Assert.Contains(name, s.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls12_MutualTls_VerifiesTheClient()
    {
        using var clientCred = ClientPki.Issue(KeyKind.Rsa2048, ["client.example.test"], clientAuth: true);
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, ClientCertificate = clientCred }, server);
        using (c)
        using (s)
        {
            Assert.Equal(ProtocolVersion.Tls12, s.NegotiatedVersion);
            Assert.Equal(clientCred.Leaf.RawData, s.PeerCertificates[0].RawData);
            Assert.NotNull(s.PeerSignatureScheme);
            Pair.Exchange(c, s, [9]);
        }
    }

    [Fact]
    public void Tls12_MutualTls_RequiredButAbsent_Fails()
    {
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore };
        using var c = TlsConnection.CreateClient(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, "example.test");
        using var s = TlsConnection.CreateServer(server);
        Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.False(s.IsHandshakeComplete);
        Assert.Contains("requires one", s.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls12_RefusesKeyUpdate()
    {
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s) Assert.Throws<InvalidOperationException>(() => c.RequestKeyUpdate());
    }

    internal static ClientHello Without(ClientHello h, ExtensionType type) =>
        new() { LegacyVersion = h.LegacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites, Extensions = h.Extensions.Where(e => e.Type != type).ToList() };

    internal static ClientHello WithSuites(ClientHello h, IReadOnlyList<ushort> suites) =>
        new() { LegacyVersion = h.LegacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = suites, Extensions = h.Extensions };
}
