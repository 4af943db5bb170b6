using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Conformance;

/// <summary>
/// A TLS 1.2 client that tries to renegotiate gets a no_renegotiation warning and keeps its connection (RFC 5246
/// §7.2.2), so its next request is served; asking a second time is fatal, so refusing cannot be made a loop.
/// </summary>
public sealed class RenegotiationTests
{
    [Theory]
    [InlineData(true)]    // secure renegotiation: the hello carries renegotiation_info
    [InlineData(false)]   // legacy: no renegotiation_info, no SCSV
    public void A_Renegotiating_ClientHello_Gets_A_Warning_And_The_Connection_Carries_On(bool secure)
    {
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 },
            Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { RecordHandshakeEvents = true });
        using (c)
        using (s)
        {
            var hello = RenegotiatingHello(secure);
            c.WriteRecordForTests(ContentType.Handshake, hello);
            Pump.Move(c, s, true);
            Assert.Null(s.Failure);
            Assert.Contains(s.HandshakeEvents, e => e.Name == "Alert no_renegotiation (warning)" && e.Direction == TraceDirection.Sent);
            var warning = s.PendingOutput.ToArray();
            Assert.Equal((byte)ContentType.Alert, warning[0]);   // TLS 1.2 keeps the alert's content type on the protected record
            Assert.Equal(warning.Length, 5 + ((warning[3] << 8) | warning[4]));   // and it is the only record

            // The client's next request is served under the keys it already has, and the answer reaches it.
            c.Write("GET / HTTP/1.1\r\n\r\n"u8);
            Pump.Move(c, s, true);
            Assert.Equal("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), Pump.ReadAll(s));
            s.Write("HTTP/1.1 200 OK\r\n\r\n"u8);
            Pump.Move(s, c, false);
            Assert.Equal("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray(), Pump.ReadAll(c));

            // Asking again after the refusal is fatal.
            c.WriteRecordForTests(ContentType.Handshake, hello);
            var e = Assert.Throws<TlsException>(() => Pump.Move(c, s, true));
            Assert.Equal(AlertDescription.NoRenegotiation, e.Alert);
            Assert.False(e.IsFromPeer);
        }
    }

    private static byte[] RenegotiatingHello(bool secure)
    {
        using var fresh = TlsConnection.CreateClient(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, "example.test");
        var record = Pump.Drain(fresh);
        var hello = ClientHello.Decode(record.AsSpan(9));
        // A renegotiating client's renegotiation_info carries its previous verify_data (RFC 5746 §3.5); a legacy one
        // sends neither the extension nor the SCSV. The server must refuse both without reading further.
        var extensions = hello.Extensions.Where(e => e.Type != ExtensionType.RenegotiationInfo).ToList();
        if (secure) extensions.Add(new TlsExtension(ExtensionType.RenegotiationInfo, [12, .. new byte[12]]));
        var suites = hello.CipherSuites.Where(x => x != (ushort)CipherSuite.TlsEmptyRenegotiationInfoScsv).ToList();
        return new ClientHello { Random = hello.Random, LegacySessionId = hello.LegacySessionId, CipherSuites = suites, Extensions = extensions }.Encode().Raw;
    }
}
