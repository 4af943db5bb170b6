using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Tests.Support;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>A root, server certificates for several names and a client certificate, written as PEM files for Kestrel and the peers.</summary>
internal sealed class KestrelPki
{
    public static readonly KestrelPki Shared = new();

    private readonly X509Certificate2 _root;

    private KestrelPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tessera-kestrel-").FullName;
        _root = CertBuilder.Root("Tessera Kestrel Test Root");
        File.WriteAllText(RootFile, _root.ExportCertificatePem() + "\n");
        WriteServer("localhost", ["localhost"], ["127.0.0.1"]);
        WriteServer("a.test", ["a.test"], []);
        WriteServer("b.test", ["b.test"], []);
        var client = CertBuilder.Leaf(_root, dns: ["client.test"], ekus: [CertBuilder.Oid.ClientAuth], subject: "CN=Kestrel Test Client");
        Write("client", client);
    }

    public string Directory { get; }
    public string RootFile => Path.Combine(Directory, "root.pem");
    public X509Certificate2 Root => _root;
    public string CertFile(string name) => Path.Combine(Directory, name + ".pem");
    public string KeyFile(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>A fresh localhost certificate (new key, new serial) written to <paramref name="certFile"/> and <paramref name="keyFile"/>.</summary>
    public X509Certificate2 IssueLocalhostTo(string certFile, string keyFile)
    {
        var leaf = CertBuilder.Leaf(_root, dns: ["localhost"], ips: ["127.0.0.1"], subject: "CN=localhost");
        WritePem(leaf, certFile, keyFile);
        return leaf;
    }

    private void WriteServer(string name, string[] dns, string[] ips) =>
        Write(name, CertBuilder.Leaf(_root, dns: dns, ips: ips, subject: $"CN={name}"));

    private void Write(string name, X509Certificate2 leaf) => WritePem(leaf, CertFile(name), KeyFile(name));

    private static void WritePem(X509Certificate2 leaf, string certFile, string keyFile)
    {
        using var key = leaf.GetECDsaPrivateKey()!;
        // Written to temporary names and moved into place, as a certificate renewal tool does.
        File.WriteAllText(certFile + ".tmp", leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile + ".tmp", key.ExportPkcs8PrivateKeyPem() + "\n");
        File.Move(keyFile + ".tmp", keyFile, overwrite: true);
        File.Move(certFile + ".tmp", certFile, overwrite: true);
    }

    /// <summary>The client certificate with its key, for HttpClient.</summary>
    public X509Certificate2 ClientCertificate() => X509Certificate2.CreateFromPemFile(CertFile("client"), KeyFile("client"));
}
