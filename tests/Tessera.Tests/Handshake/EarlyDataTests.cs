using System.Text;
using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>0-RTT (RFC 8446 §2.3, §4.2.10, §8): flow, acceptance rules, rejection and replay.</summary>
public sealed class EarlyDataTests
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");

    private static TlsServerOptions EarlyServer() => Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { MaxEarlyData = 16384 };

    private static string[] Messages(TlsConnection c) =>
        c.HandshakeEvents.Where(e => e.Kind == HandshakeEventKind.Message).Select(e => $"{e.Direction}:{e.Name}").ToArray();

    [Fact]
    public void ZeroRtt_Flow_ServerReadsTheRequestFromTheFirstFlight()
    {
        var client = Pair.Client() with { RecordHandshakeEvents = true };
        var server = EarlyServer() with { RecordHandshakeEvents = true };
        Pair.Connect(client, server);   // get a ticket that allows early data

        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        using var s = TlsConnection.CreateServer(server);
        Pump.Move(c, s, true);          // ClientHello + early data: one flight
        Assert.Equal(Request, Pump.ReadAll(s));          // the request is readable before any reply
        Assert.True(s.EarlyDataAccepted);
        Assert.Equal(Request.Length, s.EarlyDataReceived);
        s.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\n"));   // 0.5-RTT response with the server's flight
        Pump.Move(s, c, false);
        Assert.True(c.IsHandshakeComplete);
        Assert.True(c.EarlyDataAccepted);
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", Encoding.ASCII.GetString(Pump.ReadAll(c)));
        Pump.Move(c, s, true);          // EndOfEarlyData + Finished
        Assert.True(s.IsHandshakeComplete);
        Assert.Equal(["Sent:ClientHello", "Received:ServerHello", "Received:EncryptedExtensions", "Received:Finished", "Sent:EndOfEarlyData", "Sent:Finished"],
            Messages(c));
        Assert.Contains(s.HandshakeEvents, e => e.Name == "EndOfEarlyData" && e.Direction == TraceDirection.Received);
    }

    [Fact]
    public void ServerWithoutEarlyData_RejectsIt_AndSkipsIt_ButStillResumes()
    {
        var client = Pair.Client();
        var server = EarlyServer();
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        using var s = TlsConnection.CreateServer(server with { AcceptEarlyData = _ => false });
        Pump.Handshake(c, s);
        Assert.True(c.WasResumed);
        Assert.False(c.EarlyDataAccepted);
        Assert.False(s.EarlyDataAccepted);
        Assert.Equal(0, s.AvailablePlaintext);           // the rejected bytes never reach the application
        Assert.DoesNotContain(Messages(c), m => m.Contains("EndOfEarlyData", StringComparison.Ordinal));
        Pair.Exchange(c, s, Request);
    }

    [Fact]
    public void HelloRetryRequest_RejectsEarlyData()
    {
        var client = Pair.Client() with { KeyShareGroups = [NamedGroup.X25519] };
        var server = EarlyServer() with { Groups = [NamedGroup.Secp256r1, NamedGroup.X25519], HelloRetryForPreferredGroup = true };
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        using var s = TlsConnection.CreateServer(server);
        Pump.Handshake(c, s);
        Assert.True(c.HelloRetryRequested);
        Assert.False(c.EarlyDataAccepted);
        Assert.Equal(0, s.AvailablePlaintext);
        Pair.Exchange(c, s, [1]);
    }

    [Fact]
    public void AfterHelloRetryRequest_AnUndecryptableRecordAfterTheSecondClientHello_IsBadRecordMac()
    {
        // The rejected 0-RTT records come before the second ClientHello; once it has arrived nothing is skipped, so a
        // record that does not open is bad_record_mac, sent as an alert (RFC 8446 §4.2.10, §5.2).
        var client = Pair.Client() with { KeyShareGroups = [NamedGroup.X25519] };
        var server = EarlyServer() with { Groups = [NamedGroup.Secp256r1, NamedGroup.X25519], HelloRetryForPreferredGroup = true };
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        using var s = TlsConnection.CreateServer(server);
        Pump.Move(c, s, true);          // ClientHello with a PSK and early_data, then the early data (skipped)
        Pump.Move(s, c, false);         // HelloRetryRequest
        Pump.Move(c, s, true);          // the second ClientHello
        Assert.True(s.HelloRetryRequested);
        byte[] garbage = [(byte)ContentType.ApplicationData, 3, 3, 0, 40, .. Enumerable.Range(1, 40).Select(i => (byte)(i * 7))];
        var e = Assert.Throws<TlsException>(() => s.ReceiveTls(garbage));
        Assert.Equal(AlertDescription.BadRecordMac, e.Alert);
        // The client reads the server's flight and then the alert.
        var atClient = Assert.Throws<TlsException>(() => Pump.Move(s, c, false));
        Assert.Equal(AlertDescription.BadRecordMac, atClient.Alert);
        Assert.True(atClient.IsFromPeer);
    }

    [Fact]
    public void ReplayedZeroRttClientHello_IsAcceptedOnlyOnce()
    {
        var client = Pair.Client();
        var server = EarlyServer();
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        var firstFlight = Pump.Drain(c);

        using var s1 = TlsConnection.CreateServer(server);
        s1.ReceiveTls(firstFlight);
        Assert.Equal(Request, Pump.ReadAll(s1));

        // An attacker replays the same bytes to the server (or to another instance sharing its stores).
        using var s2 = TlsConnection.CreateServer(server);
        s2.ReceiveTls(firstFlight);
        Assert.Equal(0, s2.AvailablePlaintext);
        Assert.False(s2.EarlyDataAccepted);
        Assert.False(s2.WasResumed);                     // the ticket was used: a full handshake is offered instead
    }

    [Fact]
    public void StaleClientHello_OutsideTheFreshnessWindow_GetsNoEarlyData()
    {
        var clock = new ManualClock();
        var client = Pair.Client() with { TimeProvider = clock };
        var server = EarlyServer() with { TimeProvider = clock, TicketAgeTolerance = TimeSpan.FromSeconds(5) };
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);
        var flight = Pump.Drain(c);
        clock.Advance(TimeSpan.FromMinutes(1));          // delivered (or replayed) a minute later
        using var s = TlsConnection.CreateServer(server);
        s.ReceiveTls(flight);
        Assert.Equal(0, s.AvailablePlaintext);
        Assert.False(s.EarlyDataAccepted);
        Assert.True(s.WasResumed);                       // resumption itself is still fine
    }

    [Fact]
    public void MoreEarlyDataThanTheTicketAllows_IsNotSent()
    {
        var client = Pair.Client();
        var server = EarlyServer() with { MaxEarlyData = 16 };
        Pair.Connect(client, server);
        using var c = TlsConnection.CreateClient(client, "example.test", Request);   // 38 bytes > 16
        using var s = TlsConnection.CreateServer(server);
        Pump.Handshake(c, s);
        Assert.Null(c.EarlyDataAccepted);                // not offered at all
        Assert.True(c.WasResumed);
    }
}
