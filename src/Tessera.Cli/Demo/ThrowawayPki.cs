using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Pki;

namespace Tessera.Cli.Demo;

/// <summary>
/// A certificate authority that lives for one demo run (Tessera.Pki's <see cref="CertificateIssuer"/>, in memory): a
/// root, a server certificate for localhost, 127.0.0.1 and ::1, and a client certificate for the mutual-TLS scenario.
/// Nothing touches the disk.
/// </summary>
internal sealed class ThrowawayPki : IDisposable
{
    private readonly CertificateIssuer _root;

    public ThrowawayPki()
    {
        var end = DateTimeOffset.UtcNow.AddDays(1);
        _root = CertificateIssuer.CreateRoot("Tessera Demo Root CA", KeyType.EcdsaP256, end, pathLength: 1);
        using (var server = _root.Issue(["localhost", "127.0.0.1", "::1"], client: false, end, KeyType.EcdsaP256))
            Server = server.ToCredential();
        using (var client = _root.Issue([], client: true, end, KeyType.EcdsaP256, subject: "CN=demo-client"))
            Client = client.ToCredential();
    }

    public X509Certificate2 Root => _root.Certificate;
    public TlsCredential Server { get; }
    public TlsCredential Client { get; }
    public TrustStore Trust => TrustStore.FromCertificates(Root);

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        _root.Dispose();
    }
}
