using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Pki;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>
/// A root, server certificates for several names and a client certificate, written as PEM files for Kestrel and the peers;
/// issued by Tessera.Pki, the one issuing profile (the verifier tests' CertBuilder is for certificates a CA must not make).
/// </summary>
internal sealed class KestrelPki
{
    public static readonly KestrelPki Shared = new();

    private readonly CertificateIssuer _root;

    private KestrelPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tessera-kestrel-").FullName;
        _root = CertificateIssuer.CreateRoot("Tessera Kestrel Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(RootFile, _root.CertificatePem);
        WriteServer("localhost", ["localhost"], ["127.0.0.1"]);
        WriteServer("a.test", ["a.test"], []);
        WriteServer("b.test", ["b.test"], []);
        using var client = _root.Issue(["client.test"], client: true, NotAfter, KeyType.EcdsaP256, subject: "CN=Kestrel Test Client");
        Write("client", client);
    }

    public string Directory { get; }
    public string RootFile => Path.Combine(Directory, "root.pem");
    public X509Certificate2 Root => _root.Certificate;

    private static DateTimeOffset NotAfter => DateTimeOffset.UtcNow.AddDays(90);
    public string CertFile(string name) => Path.Combine(Directory, name + ".pem");
    public string KeyFile(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>A fresh localhost certificate (new key, new serial) written to <paramref name="certFile"/> and <paramref name="keyFile"/>.</summary>
    public X509Certificate2 IssueLocalhostTo(string certFile, string keyFile)
    {
        using var leaf = _root.Issue(["localhost", "127.0.0.1"], client: false, NotAfter, KeyType.EcdsaP256);
        WritePem(leaf, certFile, keyFile);
        return leaf.WithPrivateKey();
    }

    private void WriteServer(string name, string[] dns, string[] ips)
    {
        using var leaf = _root.Issue([.. dns, .. ips], client: false, NotAfter, KeyType.EcdsaP256);
        Write(name, leaf);
    }

    private void Write(string name, IssuedCertificate leaf) => WritePem(leaf, CertFile(name), KeyFile(name));

    private static void WritePem(IssuedCertificate leaf, string certFile, string keyFile)
    {
        // Written to temporary names and moved into place, as a certificate renewal tool does.
        File.WriteAllText(certFile + ".tmp", leaf.CertificatePem);
        File.WriteAllText(keyFile + ".tmp", leaf.KeyPem);
        File.Move(keyFile + ".tmp", keyFile, overwrite: true);
        File.Move(certFile + ".tmp", certFile, overwrite: true);
    }

    /// <summary>The client certificate with its key, for HttpClient.</summary>
    public X509Certificate2 ClientCertificate() => X509Certificate2.CreateFromPemFile(CertFile("client"), KeyFile("client"));
}
