using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Tests.Support;

/// <summary>A client and server that trust the same generated PKI.</summary>
internal static class Pair
{
    public static readonly TestPki Pki = new();

    public static TlsClientOptions Client(TestPki? pki = null) => new() { TrustStore = (pki ?? Pki).TrustStore };

    public static TlsServerOptions Server(params TlsCredential[] credentials) => new() { Certificates = credentials };

    public static (TlsConnection Client, TlsConnection Server) Connect(TlsClientOptions client, TlsServerOptions server, string host = "example.test")
    {
        var c = TlsConnection.CreateClient(client, host);
        var s = TlsConnection.CreateServer(server);
        Pump.Handshake(c, s);
        return (c, s);
    }

    /// <summary>
    /// A full handshake whose tickets the client reads (one byte each way), closed; then a second connection with the
    /// same options, which can resume from it.
    /// </summary>
    public static (TlsConnection Client, TlsConnection Server) ConnectTwice(TlsClientOptions client, TlsServerOptions server, string host = "example.test")
    {
        var (c1, s1) = Connect(client, server, host);
        using (c1)
        using (s1)
            Exchange(c1, s1, [1]);
        return Connect(client, server, host);
    }

    /// <summary>Sends <paramref name="data"/> each way and checks it arrives intact.</summary>
    public static void Exchange(TlsConnection client, TlsConnection server, byte[] data)
    {
        client.Write(data);
        Pump.Move(client, server, true);
        Xunit.Assert.Equal(data, Pump.ReadAll(server));
        server.Write(data);
        Pump.Move(server, client, false);
        Xunit.Assert.Equal(data, Pump.ReadAll(client));
    }
}
