using System.Text;
using Tessera.Connection;
using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// Time to the first response byte, counted in round trips over an in-memory link where every flight takes the
/// same one-way delay: a full and a resumed TLS 1.3 handshake need two, 0-RTT needs one (RFC 8446 §2, §2.3).
/// Counting flights rather than milliseconds keeps the test exact on any machine.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /\r\n");
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("200 OK\r\n");

    private static (int RoundTrips, bool Resumed, bool? Early) RoundTripsToFirstResponseByte(TlsClientOptions clientOptions, TlsServerOptions serverOptions, bool earlyData)
    {
        using var client = earlyData ? TlsConnection.CreateClient(clientOptions, "example.test", Request) : TlsConnection.CreateClient(clientOptions, "example.test");
        using var server = TlsConnection.CreateServer(serverOptions);
        var requestSent = earlyData;
        var responded = false;
        for (var roundTrip = 1; roundTrip <= 10; roundTrip++)
        {
            Pump.Move(client, server, true);                          // one flight to the server
            if (!responded && server.AvailablePlaintext > 0)
            {
                Assert.Equal(Request, Pump.ReadAll(server));
                server.Write(Response);                               // as soon as it has the request (0.5-RTT if need be)
                responded = true;
            }
            Pump.Move(server, client, false);                         // one flight back
            if (client.AvailablePlaintext > 0)
            {
                Assert.Equal(Response, Pump.ReadAll(client));
                return (roundTrip, client.WasResumed, client.EarlyDataAccepted);
            }
            if (client.IsHandshakeComplete && !requestSent)
            {
                client.Write(Request);                                // travels with the client's next flight
                requestSent = true;
            }
        }
        throw new InvalidOperationException("no response within 10 round trips");
    }

    [Fact]
    public void FullHandshake_TwoRoundTrips_Resumed_Two_ZeroRtt_One()
    {
        var client = Pair.Client();
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { MaxEarlyData = 1024 };
        Assert.Equal((2, false, null), RoundTripsToFirstResponseByte(client, server, earlyData: false));   // full; leaves tickets behind
        Assert.Equal((2, true, null), RoundTripsToFirstResponseByte(client, server, earlyData: false));    // resumed: cheaper, not shorter
        Assert.Equal((1, true, true), RoundTripsToFirstResponseByte(client, server, earlyData: true));     // 0-RTT
    }
}
