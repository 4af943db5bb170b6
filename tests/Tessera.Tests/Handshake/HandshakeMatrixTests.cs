using System.Security.Cryptography;
using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>Tessera client against Tessera server in memory: every suite, group and key type.</summary>
public sealed class HandshakeMatrixTests
{
    public static TheoryData<CipherSuite, NamedGroup, KeyKind> Matrix()
    {
        var data = new TheoryData<CipherSuite, NamedGroup, KeyKind>();
        foreach (var s in new[] { CipherSuite.TlsAes128GcmSha256, CipherSuite.TlsAes256GcmSha384, CipherSuite.TlsChaCha20Poly1305Sha256 })
            foreach (var g in new[] { NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1, NamedGroup.X448 })
                foreach (var k in new[] { KeyKind.EcdsaP256, KeyKind.EcdsaP384, KeyKind.Rsa2048, KeyKind.RsaPss2048, KeyKind.Ed25519 })
                    data.Add(s, g, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Handshake_And_Echo(CipherSuite suite, NamedGroup group, KeyKind key)
    {
        var credential = Pair.Pki.Shared(key);
        var client = Pair.Client() with { CipherSuites = [suite], Groups = [group], KeyShareGroups = [group], CertificateProfile = TestPki.ProfileFor(key) };
        var (c, s) = Pair.Connect(client, Pair.Server(credential));
        using (c)
        using (s)
        {
            Assert.Equal(ProtocolVersion.Tls13, c.NegotiatedVersion);
            Assert.Equal(suite, c.CipherSuite);
            Assert.Equal(suite, s.CipherSuite);
            Assert.Equal(group, c.KeyExchangeGroup);
            Assert.False(c.HelloRetryRequested);
            Assert.Equal(credential.Leaf.RawData, c.PeerCertificates[0].RawData);
            Pair.Exchange(c, s, RandomNumberGenerator.GetBytes(100_000));
        }
    }

    [Fact]
    public void Server_Asks_For_Its_Group_With_HelloRetryRequest()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var client = Pair.Client() with { RecordHandshakeEvents = true, KeyShareGroups = [NamedGroup.X25519] };
        var server = Pair.Server(credential) with { Groups = [NamedGroup.Secp384r1, NamedGroup.X25519], HelloRetryForPreferredGroup = true, RecordHandshakeEvents = true };
        var (c, s) = Pair.Connect(client, server);
        Assert.True(c.HelloRetryRequested);
        Assert.True(s.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp384r1, c.KeyExchangeGroup);
        Pair.Exchange(c, s, [1, 2, 3]);
        // Client: ClientHello, HRR, ClientHello, ServerHello …; both sides sent the compatibility CCS once.
        var sent = c.HandshakeEvents.Where(e => e.Direction == TraceDirection.Sent && e.Kind == HandshakeEventKind.Message).Select(e => e.Name).ToList();
        Assert.Equal(["ClientHello", "ClientHello", "Finished"], sent);
        Assert.Equal(1, c.HandshakeEvents.Count(e => e.Kind == HandshakeEventKind.ChangeCipherSpec && e.Direction == TraceDirection.Sent));
        Assert.Equal(1, s.HandshakeEvents.Count(e => e.Kind == HandshakeEventKind.ChangeCipherSpec && e.Direction == TraceDirection.Sent));
    }

    [Fact]
    public void Client_Without_A_Usable_Share_Gets_HelloRetryRequest()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var client = Pair.Client() with { KeyShareGroups = [NamedGroup.X25519] };
        var server = Pair.Server(credential) with { Groups = [NamedGroup.Secp256r1] };
        var (c, _) = Pair.Connect(client, server);
        Assert.True(c.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, c.KeyExchangeGroup);
    }

    [Fact]
    public void Alpn_Negotiates_The_Servers_Preference()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client() with { ApplicationProtocols = ["http/1.1", "h2"] },
            Pair.Server(credential) with { ApplicationProtocols = ["h2", "http/1.1"] });
        Assert.Equal("h2", c.ApplicationProtocol);
        Assert.Equal("h2", s.ApplicationProtocol);
    }

    [Fact]
    public void Alpn_Without_Overlap_Is_No_Application_Protocol()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var c = TlsConnection.CreateClient(Pair.Client() with { ApplicationProtocols = ["h2"] }, "example.test");
        var s = TlsConnection.CreateServer(Pair.Server(credential) with { ApplicationProtocols = ["imap"] });
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.NoApplicationProtocol, e.Alert);
        var peer = Assert.Throws<TlsException>(() => Pump.Move(s, c, false));
        Assert.True(peer.IsFromPeer);
        Assert.Equal(AlertDescription.NoApplicationProtocol, peer.Alert);
    }

    [Fact]
    public void Sni_Selects_Between_Two_Certificates()
    {
        using var a = Pair.Pki.Issue(KeyKind.EcdsaP256, ["a.example.test"]);
        using var b = Pair.Pki.Issue(KeyKind.Rsa2048, ["b.example.test"]);
        var server = Pair.Server(a, b);
        var (c1, s1) = Pair.Connect(Pair.Client(), server, "a.example.test");
        var (c2, s2) = Pair.Connect(Pair.Client(), server, "b.example.test");
        Assert.Equal(a.Leaf.RawData, c1.PeerCertificates[0].RawData);
        Assert.Equal(b.Leaf.RawData, c2.PeerCertificates[0].RawData);
        Assert.Equal("a.example.test", s1.ServerName);
        Assert.Equal("b.example.test", s2.ServerName);
    }

    [Fact]
    public void ChaCha20_Is_Chosen_When_Client_Lists_It_First()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var client = Pair.Client() with { CipherSuites = [CipherSuite.TlsChaCha20Poly1305Sha256, CipherSuite.TlsAes128GcmSha256] };
        var (c, _) = Pair.Connect(client, Pair.Server(credential));
        Assert.Equal(CipherSuite.TlsChaCha20Poly1305Sha256, c.CipherSuite);
        var (c2, _) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        Assert.Equal(CipherSuite.TlsAes128GcmSha256, c2.CipherSuite);
    }

    /// <summary>
    /// One ChaCha20 rule for both versions (Negotiation.SuiteSelection): the client's first suite of the version decides,
    /// whatever else it lists, and in TLS 1.2 the rest of the server's order is kept.
    /// </summary>
    [Theory]
    [InlineData(ProtocolVersion.Tls13, new[] { CipherSuite.TlsChaCha20Poly1305Sha256, CipherSuite.TlsAes128GcmSha256 }, CipherSuite.TlsChaCha20Poly1305Sha256)]
    [InlineData(ProtocolVersion.Tls13, new[] { CipherSuite.TlsAes256GcmSha384, CipherSuite.TlsChaCha20Poly1305Sha256 }, CipherSuite.TlsAes256GcmSha384)]
    [InlineData(ProtocolVersion.Tls12, new[] { CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 }, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256)]
    [InlineData(ProtocolVersion.Tls12, new[] { CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256, CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256 }, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256)]
    [InlineData(ProtocolVersion.Tls12, new[] { CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 }, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256)]
    // ChaCha20 first, but only an RSA one: the ECDSA certificate takes the server's first AES suite, its order kept.
    [InlineData(ProtocolVersion.Tls12, new[] { CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256, CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 }, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256)]
    public void ChaCha20_Goes_First_When_The_Clients_First_Suite_Of_The_Version_Is_One(ProtocolVersion version, CipherSuite[] offered, CipherSuite expected)
    {
        var credential = Pair.Pki.Shared(KeyKind.EcdsaP256);
        // The client offers the other version's suites too, so the rule must look only at the negotiated version's.
        var client = Pair.Client() with
        {
            MaxVersion = version,
            CipherSuites = version == ProtocolVersion.Tls12 ? [.. offered, CipherSuite.TlsAes128GcmSha256] : [.. offered, CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256],
        };
        var (c, s) = Pair.Connect(client, Pair.Server(credential));
        using (c)
        using (s)
        {
            Assert.Equal(version, c.NegotiatedVersion);
            Assert.Equal(expected, c.CipherSuite);
        }
    }

    [Fact]
    public void KeyUpdate_Both_Directions_Keeps_Data_Flowing()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client() with { RecordHandshakeEvents = true }, Pair.Server(credential));
        for (var i = 0; i < 3; i++)
        {
            c.RequestKeyUpdate(requestPeerUpdate: true);
            Pump.Move(c, s, true);         // server updates read key, answers with its own KeyUpdate
            Assert.True(s.HasPendingOutput);
            Pump.Move(s, c, false);
            Pair.Exchange(c, s, RandomNumberGenerator.GetBytes(1000));
        }
        s.RequestKeyUpdate(requestPeerUpdate: false);
        Pair.Exchange(c, s, [9, 9, 9]);
        Assert.Equal(4, c.HandshakeEvents.Count(e => e.MessageType == HandshakeType.KeyUpdate && e.Direction == TraceDirection.Received));
    }

    [Fact]
    public void Exporters_Agree_And_Differ_By_Label_And_Context()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        var a = c.ExportKeyingMaterial("EXPORTER-test", [1, 2], 32);
        Assert.Equal(a, s.ExportKeyingMaterial("EXPORTER-test", [1, 2], 32));
        Assert.NotEqual(a, c.ExportKeyingMaterial("EXPORTER-test", [1, 3], 32));
        Assert.NotEqual(a, c.ExportKeyingMaterial("EXPORTER-other", [1, 2], 32));
    }

    [Fact]
    public void The_Secrets_That_Outlive_The_Handshake_Survive_Key_Updates_And_Are_Zeroed_On_Dispose()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        var exported = c.ExportKeyingMaterial("EXPORTER-test", [], 32);
        var resumption = c.ResumptionMasterSecretForTests.ToArray();
        Assert.Equal(resumption, s.ResumptionMasterSecretForTests.ToArray());
        Assert.Contains(resumption, b => b != 0);
        // Traffic secrets are ratcheted in place (RFC 8446 §7.2); the exporter and resumption secrets beside them are untouched.
        for (var i = 0; i < 3; i++)
        {
            c.RequestKeyUpdate(requestPeerUpdate: true);
            Pump.Move(c, s, true);
            Pump.Move(s, c, false);
            Pair.Exchange(c, s, [1, 2, 3]);
        }
        Assert.Equal(exported, s.ExportKeyingMaterial("EXPORTER-test", [], 32));
        Assert.Equal(resumption, c.ResumptionMasterSecretForTests.ToArray());
        c.Dispose();
        s.Dispose();
        Assert.All(c.ResumptionMasterSecretForTests.ToArray(), b => Assert.Equal(0, b));
        Assert.All(s.ResumptionMasterSecretForTests.ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(32, c.ResumptionMasterSecretForTests.Length);
    }

    [Fact]
    public void A_Connection_Disposed_Mid_Handshake_Zeroes_The_Secrets_Its_Handshake_Derived()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var c = TlsConnection.CreateClient(Pair.Client(), "example.test");
        var s = TlsConnection.CreateServer(Pair.Server(credential));
        var client = Assert.IsType<Tessera.Handshake.Client13.ClientHandshake13>(c.HandshakeContextForTests);
        Pump.Move(c, s, true);   // the server answers the ClientHello: handshake and application secrets exist now
        var server = Assert.IsType<Tessera.Handshake.Server13.ServerHandshake13>(s.HandshakeContextForTests);
        var serverKeys = server.Keys!;
        Assert.Contains(serverKeys.ClientHandshakeSecret.ToArray(), b => b != 0);
        var secrets = serverKeys.Application;
        Assert.Contains(secrets.Exporter.ToArray(), b => b != 0);
        Pump.Move(s, c, false);  // the client has its handshake secrets and, past the server's Finished, its application ones
        // The client completed (its Finished is queued): its context is gone and the connected state owns the secrets.
        Assert.True(c.IsHandshakeComplete);
        Assert.Null(c.HandshakeContextForTests);

        s.Dispose();   // before the client's Finished arrived
        Assert.All(serverKeys.ClientHandshakeSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.All(serverKeys.ServerHandshakeSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.All(secrets.Client.ToArray(), b => Assert.Equal(0, b));
        Assert.All(secrets.Server.ToArray(), b => Assert.Equal(0, b));
        Assert.All(secrets.Exporter.ToArray(), b => Assert.Equal(0, b));
        Assert.NotEqual(new byte[32], c.ResumptionMasterSecretForTests.ToArray());   // the connected state's, live
        c.Dispose();
        Assert.All(client.Keys!.ClientHandshakeSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.All(client.Keys!.ServerHandshakeSecret.ToArray(), b => Assert.Equal(0, b));
        // Handed over, not zeroed by the handshake: the connected state still works with them.
        Assert.Equal(AlertDescription.InternalError, Assert.Throws<TlsException>(() => client.Keys!.Application).Alert);
    }

    [Fact]
    public void Close_Notify_Both_Ways()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        c.Close();
        Pump.Move(c, s, true);
        Assert.True(s.IsPeerClosed);
        s.Close();
        Pump.Move(s, c, false);
        Assert.True(c.IsPeerClosed);
        Assert.Throws<InvalidOperationException>(() => c.Write([1]));
    }

    [Fact]
    public void Record_Size_Limit_Caps_Outgoing_Records()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, s) = Pair.Connect(Pair.Client() with { RecordSizeLimit = 1024 }, Pair.Server(credential));
        s.Write(new byte[5000]);
        var wire = Pump.Drain(s);
        // 5000 bytes in records of at most 1023 plaintext bytes: 5 records.
        var records = 0;
        for (var at = 0; at < wire.Length; at += 5 + ((wire[at + 3] << 8) | wire[at + 4])) records++;
        Assert.Equal(5, records);
        c.ReceiveTls(wire);
        Assert.Equal(5000, c.AvailablePlaintext);
    }

    [Fact]
    public void A_Connection_Prints_What_Was_Negotiated_By_The_Iana_Names()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var client = TlsConnection.CreateClient(Pair.Client() with { ApplicationProtocols = ["h2"] }, "example.test");
        Assert.Equal($"TLS connection ({client.State})", client.ToString());
        var server = TlsConnection.CreateServer(Pair.Server(credential) with { ApplicationProtocols = ["h2"] });
        Pump.Handshake(client, server);
        using (client)
        using (server)
        {
            // The suite depends on the machine's AES support; its IANA name is what prints, never the enum's.
            Assert.Equal($"TLS 1.3 {TlsNames.Of(client.CipherSuite!.Value)} X25519MLKEM768, ALPN h2", client.ToString());
            Assert.StartsWith("TLS 1.3 TLS_", client.ToString(), StringComparison.Ordinal);
            Assert.Equal(client.ToString(), server.ToString());
        }
    }

    [Fact]
    public void Trace_Lists_Every_Message_In_Order()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (c, _) = Pair.Connect(Pair.Client() with { RecordHandshakeEvents = true }, Pair.Server(credential));
        var messages = c.HandshakeEvents.Where(e => e.Kind == HandshakeEventKind.Message).Select(e => $"{e.Direction}:{e.Name}");
        // Both sides offer certificate compression by default (RFC 8879): the certificate arrives compressed.
        Assert.Equal(["Sent:ClientHello", "Received:ServerHello", "Received:EncryptedExtensions", "Received:CompressedCertificate",
            "Received:CertificateVerify", "Received:Finished", "Sent:Finished", "Received:NewSessionTicket", "Received:NewSessionTicket"], messages);
        var hello = c.HandshakeEvents.First(e => e.Name == "ServerHello");
        Assert.Contains(hello.Fields, f => f.Key == "key_share" && f.Value == "X25519MLKEM768 (1120 bytes)");
    }

    [Fact]
    public void Trace_Is_Kept_Only_When_Asked_For_And_The_Callback_Alone_Sees_Every_Event()
    {
        using var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var (quiet, quietServer) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        Assert.True(quiet.IsHandshakeComplete);
        Assert.Empty(quiet.HandshakeEvents);
        Assert.Empty(quietServer.HandshakeEvents);

        var seen = new List<string>();
        var (c, _) = Pair.Connect(Pair.Client() with { OnHandshakeEvent = e => seen.Add($"{e.Direction}:{e.Name}") }, Pair.Server(credential));
        Assert.Empty(c.HandshakeEvents);   // a callback does not make the connection keep the list
        Assert.Equal(["Sent:ClientHello", "Received:ServerHello"], seen.Take(2));
        Assert.Contains("Received:reading with server handshake keys", seen);
        Assert.Contains("Received:Finished", seen);
    }
}
