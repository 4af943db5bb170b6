using Tessera.Connection;
using Tessera.Crypto;

namespace Tessera.Tests.Support;

/// <summary>
/// A client's first flight delivered to a server, and the server's answer captured with its handshake traffic secret,
/// so a test can rewrite the server's protected messages (<see cref="FlightRewriter"/>) and hand them to the client.
/// </summary>
internal sealed class CapturedServerFlight : IDisposable
{
    private CapturedServerFlight(TlsConnection client, TlsConnection server, byte[] flight, CipherSuiteInfo suite, byte[] secret)
    {
        Client = client;
        Server = server;
        Flight = flight;
        _suite = suite;
        _secret = secret;
    }

    private readonly CipherSuiteInfo _suite;
    private readonly byte[] _secret;

    public TlsConnection Client { get; }
    public TlsConnection Server { get; }
    /// <summary>The server's flight as it left the server.</summary>
    public byte[] Flight { get; }

    public static CapturedServerFlight Capture(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        var keyLog = new CapturingKeyLog();
        var client = TlsConnection.CreateClient(clientOptions, "example.test");
        var server = TlsConnection.CreateServer(serverOptions with { KeyLog = keyLog });
        Pump.Move(client, server, true);
        var flight = Pump.Drain(server);
        return new CapturedServerFlight(client, server, flight, CipherSuiteInfo.Get(server.CipherSuite!.Value), keyLog.Secrets["SERVER_HANDSHAKE_TRAFFIC_SECRET"]);
    }

    /// <summary>The flight with its protected handshake messages edited by <paramref name="mutate"/>, sealed again under the same key.</summary>
    public byte[] Rewrite(Func<List<byte[]>, List<byte[]>> mutate) => FlightRewriter.Rewrite(Flight, _suite, _secret, mutate);

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
