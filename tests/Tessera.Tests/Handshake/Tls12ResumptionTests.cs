using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>TLS 1.2 resumption: session tickets (RFC 5077) and session IDs (RFC 5246 §7.3), bound to the extended master secret.</summary>
public sealed class Tls12ResumptionTests
{
    private static TlsClientOptions Client() => Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, RecordHandshakeEvents = true };

    private static string[] Flow(TlsConnection c) =>
        c.HandshakeEvents.Where(e => e.Kind is HandshakeEventKind.Message or HandshakeEventKind.ChangeCipherSpec).Select(e => $"{e.Direction}:{e.Name}").ToArray();

    [Fact]
    public void Ticket_ResumesWithAnAbbreviatedHandshake()
    {
        var client = Client();
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        var (c1, _) = Pair.Connect(client, server);
        Assert.Contains("Received:NewSessionTicket", Flow(c1));
        var (c2, s2) = Pair.Connect(client, server);
        Assert.True(c2.WasResumed);
        Assert.True(s2.WasResumed);
        Assert.Equal(ProtocolVersion.Tls12, c2.NegotiatedVersion);
        Assert.Equal(["Sent:ClientHello", "Received:ServerHello", "Received:NewSessionTicket", "Received:ChangeCipherSpec", "Received:Finished",
            "Sent:ChangeCipherSpec", "Sent:Finished"], Flow(c2));
        Assert.Equal(c1.PeerCertificates[0].RawData, c2.PeerCertificates[0].RawData);
        Pair.Exchange(c2, s2, [1, 2, 3]);
    }

    [Fact]
    public void SessionId_ResumesWhenTheServerIssuesNoTickets()
    {
        var client = Client();
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TicketProtector = null };
        Pair.Connect(client, server);
        var (c, s) = Pair.Connect(client, server);
        Assert.True(c.WasResumed);
        Assert.True(s.WasResumed);
        Assert.DoesNotContain("Received:NewSessionTicket", Flow(c));
        Pair.Exchange(c, s, [4]);
    }

    [Fact]
    public void ClientThatAsksForNoTickets_ResumesBySessionId_FromATicketIssuingServer()
    {
        var client = Client() with { RequestTls12SessionTickets = false };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));   // would issue tickets to a client that asked
        var (c1, _) = Pair.Connect(client, server);
        Assert.DoesNotContain("Received:NewSessionTicket", Flow(c1));
        var (c2, s2) = Pair.Connect(client, server);
        Assert.True(c2.WasResumed);
        Assert.True(s2.WasResumed);
        Assert.DoesNotContain("Received:NewSessionTicket", Flow(c2));
        Pair.Exchange(c2, s2, [6]);
    }

    [Fact]
    public void TicketFromAnotherServer_GetsAFullHandshake()
    {
        var client = Client();
        Pair.Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var (c, s) = Pair.Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        Assert.False(c.WasResumed);
        Pair.Exchange(c, s, [5]);
    }

    [Fact]
    public void ClientThatDropsExtendedMasterSecret_IsNotResumed()
    {
        var client = Client();
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        Pair.Connect(client, server);
        var noEms = client with
        {
            TestHooks = new() { RewriteClientHello = h => Tls12HandshakeTests.Without(h, ExtensionType.ExtendedMasterSecret) },
        };
        var (c, _) = Pair.Connect(noEms, server);
        Assert.False(c.WasResumed);   // RFC 7627 §5.3
    }

    [Fact]
    public void ResumedSession_TamperedFinished_Fails()
    {
        var client = Client();
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(server);
        var flights = 0;
        Assert.Throws<TlsException>(() => Pump.Handshake(c, s, (_, bytes) =>
        {
            if (flights++ == 1) bytes[^1] ^= 1;   // the server's Finished record
            return bytes;
        }));
        Assert.False(c.IsHandshakeComplete);
    }
}
