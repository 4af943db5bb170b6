using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Proves which key-exchange group SslStream uses in this process before a suite measures it: SslStream does not
/// report its group, so each SslStream side shakes hands once with a Tessera peer, which does.
/// </summary>
internal static class GroupCheck
{
    public static void Require(NamedGroup expected, X509Certificate2 leaf, BenchPki pki, SslClientAuthenticationOptions sslClient,
        SslServerAuthenticationOptions sslServer, ProtocolVersion version)
    {
        // SslStream client → Tessera server that accepts either group: the group is the client's key share.
        var server = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(leaf, pki.Intermediate)], Groups = [NamedGroup.X25519, NamedGroup.Secp256r1] };
        var (c, s) = InMemoryDuplex.Create();
        using (var sslClientStream = new SslStream(c))
        using (var tesseraServer = new TlsStream(s))
        {
            var serverTask = tesseraServer.AuthenticateAsServerAsync(server);
            sslClientStream.AuthenticateAsClientAsync(sslClient).GetAwaiter().GetResult();
            serverTask.GetAwaiter().GetResult();
            Check("SslStream client", expected, tesseraServer.Connection.KeyExchangeGroup);
        }

        // Tessera client offering both groups (with key shares for both) → SslStream server: the group is the server's choice.
        var client = new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(pki.Root), MinVersion = version, MaxVersion = version, SessionStore = null,
            Groups = [NamedGroup.X25519, NamedGroup.Secp256r1], KeyShareGroups = [NamedGroup.X25519, NamedGroup.Secp256r1],
        };
        var (c2, s2) = InMemoryDuplex.Create();
        using var tesseraClient = new TlsStream(c2);
        using var sslServerStream = new SslStream(s2);
        var sslServerTask = sslServerStream.AuthenticateAsServerAsync(sslServer);
        tesseraClient.AuthenticateAsClientAsync(client, "example.test").GetAwaiter().GetResult();
        sslServerTask.GetAwaiter().GetResult();
        Check("SslStream server", expected, tesseraClient.Connection.KeyExchangeGroup);
    }

    private static void Check(string who, NamedGroup expected, NamedGroup? actual)
    {
        if (actual != expected)
            throw new InvalidOperationException($"{who} used {actual?.ToString() ?? "no group"}, not {expected}: the comparison would not be like for like");
    }
}
