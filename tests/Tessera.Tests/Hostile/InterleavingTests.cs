using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>
/// RFC 8446 §5.1: a handshake message split over several records has nothing between its fragments. Every case puts
/// another record (application data, an alert, ChangeCipherSpec) between two fragments of a handshake message, during
/// the handshake or after it, in both versions and both roles; the receiver must end the connection with
/// unexpected_message and the attacker must see that alert.
/// </summary>
public sealed class InterleavingTests
{
    private static readonly byte[] KeyUpdateRequested = [(byte)HandshakeType.KeyUpdate, 0, 0, 1, 1];

    // ------------------------------------------------------------------ after the handshake, TLS 1.3

    [Fact]
    public void Tls13_KeyUpdate_SplitAroundApplicationData_ToServer()
    {
        var (c, s) = Connected(ProtocolVersion.Tls13);
        using (c)
        using (s) AssertRefused(attacker: c, victim: s, KeyUpdateRequested, ContentType.ApplicationData, "x"u8.ToArray());
    }

    [Fact]
    public void Tls13_KeyUpdate_SplitAroundApplicationData_ToClient()
    {
        var (c, s) = Connected(ProtocolVersion.Tls13);
        using (c)
        using (s) AssertRefused(attacker: s, victim: c, KeyUpdateRequested, ContentType.ApplicationData, "x"u8.ToArray());
    }

    [Fact]
    public void Tls13_NewSessionTicket_SplitAroundEmptyApplicationData_ToClient()
    {
        // RFC 8446 §5.4 allows zero-length application data, but not between handshake fragments.
        byte[] ticket = [(byte)HandshakeType.NewSessionTicket, 0, 0, 15, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 0, 0, 3, 9, 9, 9, 0, 0];
        var (c, s) = Connected(ProtocolVersion.Tls13);
        using (c)
        using (s) AssertRefused(attacker: s, victim: c, ticket, ContentType.ApplicationData, []);
    }

    [Fact]
    public void Tls13_CertificateRequest_SplitAroundWarningAlert_ToClient()
    {
        byte[] request = [(byte)HandshakeType.CertificateRequest, 0, 0, 11, 1, 7, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3];
        var (c, s) = Connected(ProtocolVersion.Tls13);
        using (c)
        using (s) AssertRefused(attacker: s, victim: c, request, ContentType.Alert, [(byte)AlertLevel.Warning, (byte)AlertDescription.UserCanceled]);
    }

    // ------------------------------------------------------------------ after the handshake, TLS 1.2

    [Fact]
    public void Tls12_HelloRequest_SplitAroundApplicationData_ToClient()
    {
        var (c, s) = Connected(ProtocolVersion.Tls12);
        using (c)
        using (s) AssertRefused(attacker: s, victim: c, [(byte)HandshakeType.HelloRequest, 0, 0, 0], ContentType.ApplicationData, "x"u8.ToArray());
    }

    [Fact]
    public void Tls12_RenegotiatingClientHello_SplitAroundApplicationData_ToServer()
    {
        var (c, s) = Connected(ProtocolVersion.Tls12);
        using (c)
        using (s)
        {
            var hello = FirstClientHelloMessage();
            AssertRefused(attacker: c, victim: s, hello, ContentType.ApplicationData, "x"u8.ToArray());
        }
    }

    // ------------------------------------------------------------------ during the handshake (plaintext flights)

    [Fact]
    public void Tls13_ClientHello_SplitAroundWarningAlert_ToServer()
    {
        using var c = TlsConnection.CreateClient(Pair.Client(), "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var flight = SplitFirstRecord(Pump.Drain(c), [(byte)ContentType.Alert, 3, 1, 0, 2, (byte)AlertLevel.Warning, (byte)AlertDescription.UserCanceled]);
        var e = Assert.Throws<TlsException>(() => s.ReceiveTls(flight));
        AssertInterleavingRefusal(e);
        var atClient = Assert.Throws<TlsException>(() => Pump.Move(s, c, false));
        Assert.Equal(AlertDescription.UnexpectedMessage, atClient.Alert);
        Assert.True(atClient.IsFromPeer);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls13, new byte[] { (byte)ContentType.ChangeCipherSpec, 3, 3, 0, 1, 1 })]
    [InlineData(ProtocolVersion.Tls12, new byte[] { (byte)ContentType.Alert, 3, 3, 0, 2, (byte)AlertLevel.Warning, (byte)AlertDescription.UnrecognizedName })]
    public void ServerHello_SplitAroundAnotherRecord_ToClient(ProtocolVersion version, byte[] between)
    {
        // Each inserted record is one the client accepts on its own at this point: the compatibility CCS in TLS 1.3,
        // a warning unrecognized_name in TLS 1.2.
        using var c = TlsConnection.CreateClient(Pair.Client() with { MaxVersion = version }, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        Pump.Move(c, s, true);
        var flight = SplitFirstRecord(Pump.Drain(s), between);
        var e = Assert.Throws<TlsException>(() => c.ReceiveTls(flight));
        AssertInterleavingRefusal(e);
        var atServer = Assert.Throws<TlsException>(() => Pump.Move(c, s, true));
        Assert.Equal(AlertDescription.UnexpectedMessage, atServer.Alert);
        Assert.True(atServer.IsFromPeer);
    }

    // ------------------------------------------------------------------ helpers

    private static (TlsConnection Client, TlsConnection Server) Connected(ProtocolVersion version) =>
        Pair.Connect(Pair.Client() with { MaxVersion = version }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));

    /// <summary>
    /// The attacker writes the first two bytes of <paramref name="message"/>, a record of <paramref name="betweenType"/>,
    /// then the rest, each as its own record under its current keys; the victim must refuse before acting on any of it.
    /// </summary>
    private static void AssertRefused(TlsConnection attacker, TlsConnection victim, byte[] message, ContentType betweenType, byte[] between)
    {
        attacker.WriteRecordForTests(ContentType.Handshake, message.AsSpan(0, 2));
        attacker.WriteRecordForTests(betweenType, between);
        attacker.WriteRecordForTests(ContentType.Handshake, message.AsSpan(2));
        var bytes = Pump.Drain(attacker);
        var e = Assert.Throws<TlsException>(() => victim.ReceiveTls(bytes));
        AssertInterleavingRefusal(e);
        Assert.False(victim.IsPeerClosed);
        Assert.Equal(0, victim.AvailablePlaintext);      // the data between the fragments is not delivered
        // The alert goes out under the victim's keys and the attacker reads it as the peer's.
        var atAttacker = Assert.Throws<TlsException>(() => attacker.ReceiveTls(Pump.Drain(victim)));
        Assert.Equal(AlertDescription.UnexpectedMessage, atAttacker.Alert);
        Assert.True(atAttacker.IsFromPeer);
    }

    private static void AssertInterleavingRefusal(TlsException e)
    {
        Assert.Equal(AlertDescription.UnexpectedMessage, e.Alert);
        Assert.False(e.IsFromPeer);
        Assert.Contains("interleaved", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Cuts the first (plaintext handshake) record of a flight in two after 10 bytes and puts <paramref name="between"/> in the cut.</summary>
    private static byte[] SplitFirstRecord(byte[] flight, byte[] between)
    {
        Assert.Equal((byte)ContentType.Handshake, flight[0]);
        var length = (flight[3] << 8) | flight[4];
        var body = flight.AsSpan(5, length);
        byte[] Record(ReadOnlySpan<byte> part) => [flight[0], flight[1], flight[2], (byte)(part.Length >> 8), (byte)part.Length, .. part];
        return [.. Record(body[..10]), .. between, .. Record(body[10..]), .. flight.AsSpan(5 + length)];
    }

    private static byte[] FirstClientHelloMessage()
    {
        using var fresh = TlsConnection.CreateClient(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, "example.test");
        var record = Pump.Drain(fresh);
        var length = (record[3] << 8) | record[4];
        return record.AsSpan(5, length).ToArray();
    }
}
