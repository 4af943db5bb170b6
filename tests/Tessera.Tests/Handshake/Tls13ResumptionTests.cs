using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Resumption;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>TLS 1.3 session resumption (RFC 8446 §2.2, §4.2.11, §4.6.1) between Tessera endpoints, and every way a ticket can be refused.</summary>
public sealed class Tls13ResumptionTests
{
    /// <summary>A store that lets a test see and alter the ticket the client offers.</summary>
    private sealed class TamperingStore(Func<ClientSession, ClientSession>? alter = null, bool ignoreExpiry = false) : IClientSessionStore
    {
        private readonly List<ClientSession> _sessions = [];
        public int Count => _sessions.Count;
        public void Add(string key, ClientSession session) => _sessions.Add(session);
        public ClientSession? Take(string key, DateTimeOffset now)
        {
            for (var i = _sessions.Count - 1; i >= 0; i--)
            {
                var s = _sessions[i];
                _sessions.RemoveAt(i);
                if (ignoreExpiry || s.ExpiresAt > now) return alter is null ? s : alter(s);
            }
            return null;
        }
    }

    private static (TlsConnection Client, TlsConnection Server) Connect(TlsClientOptions client, TlsServerOptions server) => Pair.Connect(client, server);

    private static string[] Messages(TlsConnection c) =>
        c.HandshakeEvents.Where(e => e.Kind == HandshakeEventKind.Message).Select(e => $"{e.Direction}:{e.Name}").ToArray();

    [Fact]
    public void SecondConnection_Resumes_WithoutCertificates_ButWithKeyShare()
    {
        var client = Pair.Client() with { RecordHandshakeEvents = true };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        var (c1, s1) = Connect(client, server);
        Assert.False(c1.WasResumed);
        Assert.Equal(2, Messages(c1).Count(m => m == "Received:NewSessionTicket"));
        var (c2, s2) = Connect(client, server);
        Assert.True(c2.WasResumed);
        Assert.True(s2.WasResumed);
        // One ticket back for the one spent (TicketCount = 2 applies to full handshakes).
        Assert.Equal(["Sent:ClientHello", "Received:ServerHello", "Received:EncryptedExtensions", "Received:Finished", "Sent:Finished",
            "Received:NewSessionTicket"], Messages(c2));
        // psk_dhe_ke: forward secrecy kept, so both hellos still carry key_share.
        Assert.Contains(c2.HandshakeEvents.First(e => e.Name == "ClientHello").Fields, f => f.Key == "key_share");
        Assert.Contains(c2.HandshakeEvents.First(e => e.Name == "ServerHello").Fields, f => f.Key == "key_share");
        Assert.Contains(c2.HandshakeEvents.First(e => e.Name == "ClientHello").Fields, f => f.Key == "pre_shared_key");
        Assert.Equal(c1.PeerCertificates[0].RawData, c2.PeerCertificates[0].RawData);
        Assert.NotEqual(c1.ExportKeyingMaterial("x", [], 32), c2.ExportKeyingMaterial("x", [], 32));
        Pair.Exchange(c2, s2, [1, 2, 3]);
    }

    /// <summary>
    /// RFC 8446 §4.6.1 (note): without client authentication or accepted early data the server sends its tickets with
    /// its first flight, so a client that leaves right after its Finished (s_client &lt;/dev/null) still holds them.
    /// With a certificate request they wait for the client's Finished, which the server must check first.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tickets_ComeWithTheServerFlight_UnlessTheClientMustAuthenticate(bool requestCertificate)
    {
        var store = new InMemoryClientSessionStore();
        var clientOptions = Pair.Client() with { SessionStore = store };
        var serverOptions = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        using var clientCredential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["client.test"], clientAuth: true);
        if (requestCertificate)
        {
            clientOptions = clientOptions with { ClientCertificate = clientCredential };
            serverOptions = serverOptions with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = Pair.Pki.TrustStore };
        }
        using var client = TlsConnection.CreateClient(clientOptions, "example.test");
        using var server = TlsConnection.CreateServer(serverOptions);
        Pump.Move(client, server, true);                     // ClientHello
        Pump.Move(server, client, false);                    // the server's whole first flight
        Assert.True(client.IsHandshakeComplete);
        Assert.False(server.IsHandshakeComplete);            // the client's Finished has not reached it
        var key = Tessera.Handshake.Client13.ClientHandshake13.SessionKey("example.test", []);
        var early = store.Take(key, DateTimeOffset.UtcNow);
        Assert.Equal(!requestCertificate, early is not null);
        if (early is not null) store.Add(key, early);
        Pump.Move(client, server, true);                     // the client's Finished (and certificate)
        Assert.True(server.IsHandshakeComplete);
        Pump.Move(server, client, false);
        Assert.NotNull(store.Take(key, DateTimeOffset.UtcNow));

        if (requestCertificate) return;   // a server that asks for certificates resumes no session (PskAcceptance)

        // The ticket sent before the server saw the client's Finished resumes like any other.
        var (c2, s2) = Connect(clientOptions, serverOptions);
        Assert.True(c2.WasResumed);
        Assert.True(s2.WasResumed);
        Pair.Exchange(c2, s2, [4, 5, 6]);
    }

    [Fact]
    public void A_Client_That_Cannot_Keep_Tickets_Lists_No_Psk_Modes_And_Is_Sent_None()
    {
        // RFC 8446 §4.2.9: psk_key_exchange_modes says how the client will resume; a server does not send tickets to a
        // client that lists no mode it could use them with (what Go's server does, and what a client without a store wants).
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { RecordHandshakeEvents = true };
        var (c, s) = Connect(Pair.Client() with { SessionStore = null, RecordHandshakeEvents = true }, server);
        Pair.Exchange(c, s, [1, 2, 3]);
        Assert.DoesNotContain(s.HandshakeEvents.First(e => e.Name == "ClientHello").Fields, f => f.Key == "psk_key_exchange_modes");
        Assert.DoesNotContain("Sent:NewSessionTicket", Messages(s));
        Assert.DoesNotContain("Received:NewSessionTicket", Messages(c));

        // The same server still sends them to a client with a store (it lists psk_dhe_ke).
        var (c2, s2) = Connect(Pair.Client() with { RecordHandshakeEvents = true }, server);
        Pair.Exchange(c2, s2, [1, 2, 3]);
        Assert.Contains(s2.HandshakeEvents.First(e => e.Name == "ClientHello").Fields, f => f.Key == "psk_key_exchange_modes" && f.Value == "psk_dhe_ke");
        Assert.Equal(2, Messages(c2).Count(m => m == "Received:NewSessionTicket"));
    }

    [Fact]
    public void TicketsAreSingleUse()
    {
        var store = new InMemoryClientSessionStore();
        var client = Pair.Client() with { SessionStore = store };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        Connect(client, server);
        var key = Tessera.Handshake.Client13.ClientHandshake13.SessionKey("example.test", []);
        var first = store.Take(key, DateTimeOffset.UtcNow);
        var second = store.Take(key, DateTimeOffset.UtcNow);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first!.Ticket, second!.Ticket);
        Assert.Null(store.Take(key, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void TamperedTicket_FallsBackToAFullHandshake()
    {
        var store = new TamperingStore(s => s with { Ticket = Flip(s.Ticket, 20) });
        var client = Pair.Client() with { SessionStore = store };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        Connect(client, server);
        var (c, s) = Connect(client, server);
        Assert.False(c.WasResumed);
        Assert.False(s.WasResumed);
        Pair.Exchange(c, s, [4]);
    }

    [Fact]
    public void WrongBinder_AbortsWithDecryptError()
    {
        // The client holds a ticket but the wrong key for it: the binder cannot verify (RFC 8446 §4.2.11).
        var store = new TamperingStore(s => s with { Psk = Flip(s.Psk, 0) });
        var client = Pair.Client() with { SessionStore = store };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(server);
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.DecryptError, e.Alert);
        Assert.Contains("binder", s.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TicketPastItsLifetime_IsNotResumed()
    {
        var clock = new ManualClock();
        var store = new TamperingStore(ignoreExpiry: true);
        var client = Pair.Client() with { SessionStore = store, TimeProvider = clock };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TimeProvider = clock, TicketLifetime = TimeSpan.FromHours(1) };
        Connect(client, server);
        clock.Advance(TimeSpan.FromHours(2));
        var (c, _) = Connect(client, server);
        Assert.False(c.WasResumed);
    }

    [Fact]
    public void TicketFromAnotherServerKeySet_IsNotResumed()
    {
        var client = Pair.Client();
        Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var (c, _) = Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));   // a new server: new ticket keys
        Assert.False(c.WasResumed);
    }

    [Fact]
    public void KeyRotation_PreviousKeyStillOpens_TwoRotationsDoNot()
    {
        var clock = new ManualClock();
        var ring = new TicketKeyRing(TimeSpan.FromHours(1), clock.GetUtcNow());
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TimeProvider = clock, TicketProtector = ring };
        var store = new TamperingStore();
        var client = Pair.Client() with { SessionStore = store, TimeProvider = clock };

        Connect(client, server);                          // tickets under key 1
        ring.Rotate(clock.GetUtcNow());                   // key 2 seals, key 1 still opens
        var (resumed, _) = Connect(client, server);
        Assert.True(resumed.WasResumed);

        store = new TamperingStore();
        client = client with { SessionStore = store };
        Connect(client, server);                          // tickets under key 2
        ring.Rotate(clock.GetUtcNow());
        ring.Rotate(clock.GetUtcNow());                   // key 2 is now two rotations old
        var (full, _) = Connect(client, server);
        Assert.False(full.WasResumed);
    }

    [Fact]
    public void TwoServersSharingAKeyFile_ResumeEachOthersTickets()
    {
        var file = Path.GetTempFileName();
        try
        {
            new TicketKeyRing().Save(file);
            var serverA = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TicketProtector = TicketKeyRing.Load(file) };
            var serverB = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TicketProtector = TicketKeyRing.Load(file) };
            var client = Pair.Client();
            Connect(client, serverA);
            var (c, s) = Connect(client, serverB);
            Assert.True(c.WasResumed);
            Assert.True(s.WasResumed);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void StatefulCache_Resumes_AndARedeemedTicketDoesNotResumeTwice()
    {
        var cache = new ServerSessionCache(capacity: 8);
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TicketProtector = cache, TicketCount = 1 };
        ClientSession? offered = null;
        var store = new TamperingStore(s => offered = s);
        var client = Pair.Client() with { SessionStore = store };
        Connect(client, server);
        var (c, _) = Connect(client, server);
        Assert.True(c.WasResumed);
        // Offer the very same ticket again: the cache entry is gone.
        var replay = new TamperingStore();
        replay.Add("", offered!);
        var (again, _) = Connect(client with { SessionStore = replay }, server);
        Assert.False(again.WasResumed);
    }

    [Fact]
    public void TicketForAnotherServerName_IsNotResumed()
    {
        var store = new TamperingStore();
        var client = Pair.Client() with { SessionStore = store };
        using var both = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test", "other.example.test"]);
        var server = Pair.Server(both);
        Pair.Connect(client, server, "example.test");
        var (c, _) = Pair.Connect(client, server, "other.example.test");   // the store ignores names; the server must not
        Assert.False(c.WasResumed);
    }

    [Fact]
    public void Resumption_ThroughHelloRetryRequest()
    {
        var client = Pair.Client() with { KeyShareGroups = [NamedGroup.X25519] };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { Groups = [NamedGroup.Secp256r1, NamedGroup.X25519], HelloRetryForPreferredGroup = true };
        Connect(client, server);
        var (c, s) = Connect(client, server);
        Assert.True(c.HelloRetryRequested);
        Assert.True(c.WasResumed);
        Assert.True(s.WasResumed);
    }

    [Fact]
    public void ServerRequiringClientCertificates_DoesNotResume()
    {
        var clientPki = new TestPki("Resumption Client CA");
        using var clientCred = clientPki.Issue(KeyKind.EcdsaP256, ["client.example.test"], clientAuth: true);
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = clientPki.TrustStore };
        var client = Pair.Client() with { ClientCertificate = clientCred };
        Connect(client, server);
        var (c, s) = Connect(client, server);
        Assert.False(c.WasResumed);
        Assert.NotEmpty(s.PeerCertificates);
    }

    private static byte[] Flip(byte[] data, int index)
    {
        var copy = data.ToArray();
        copy[Math.Min(index, copy.Length - 1)] ^= 0x01;
        return copy;
    }
}
