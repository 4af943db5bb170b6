using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;

namespace Tessera.Fuzz;

/// <summary>
/// The certificates the connection targets use, made once per process: a root, and a server and a client leaf under
/// it (ECDSA P-256), valid around <see cref="FixedClock.Instant"/>. The keys come from fixed scalars, so a chain in a
/// committed seed (made in another process) still verifies here; the certificates' own signatures vary.
/// </summary>
internal static class FuzzCredential
{
    private static readonly Lazy<(TlsCredential Server, TlsCredential Client, X509Certificate2 Root, string ServerKeyPem)> Made = new(Make);

    public static TlsCredential Server => Made.Value.Server;
    public static TlsCredential Client => Made.Value.Client;
    public static X509Certificate2 Root => Made.Value.Root;

    /// <summary>The server leaf's private key as PKCS#8 PEM (a seed for the PEM target).</summary>
    public static string ServerKeyPem => Made.Value.ServerKeyPem;

    /// <summary>
    /// `--credential-pem DIR`: the fuzz root (certificate and key) and server certificate as PEM files, so
    /// record-seeds.sh can have OpenSSL issue a real CRL and OCSP response for them.
    /// </summary>
    public static int WritePem(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "root.pem"), Root.ExportCertificatePem());
        using (var rootKey = Key(0x40)) File.WriteAllText(Path.Combine(directory, "root-key.pem"), rootKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), Server.Leaf.ExportCertificatePem());
        return 0;
    }

    private static (TlsCredential, TlsCredential, X509Certificate2, string) Make()
    {
        var from = FixedClock.Instant.AddDays(-1);
        var to = FixedClock.Instant.AddDays(365);
        using var rootKey = Key(0x40);
        var rootRequest = new CertificateRequest("CN=Fuzz Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(from, to);
        var (server, serverKeyPem) = Leaf(root, rootKey, Key(0x50), "localhost", serverAuth: true, from, to);
        var (client, _) = Leaf(root, rootKey, Key(0x60), "fuzz-client", serverAuth: false, from, to);
        return (server, client, root, serverKeyPem);
    }

    private static (TlsCredential, string) Leaf(X509Certificate2 root, ECDsa rootKey, ECDsa key, string name, bool serverAuth, DateTimeOffset from, DateTimeOffset to)
    {
        using var _ = key;
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, root, name, serverAuth);
        var serial = new byte[] { 1, 2, 3, (byte)(serverAuth ? 4 : 5) };
        using var issued = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), from, to, serial);
        return (TlsCredential.FromCertificate(issued.CopyWithPrivateKey(key)), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A leaf's extensions, the same for both fuzz chains and in this order (the session chain's bytes, and so the
    /// committed protected-session seeds, depend on it): SAN with <paramref name="name"/>, not a CA, serverAuth or
    /// clientAuth, and the root's key identifier.
    /// </summary>
    internal static void AddLeafExtensions(CertificateRequest request, X509Certificate2 root, string name, bool serverAuth)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
    }

    /// <summary>A P-256 key from a fixed private scalar (OpenSSL derives the public point).</summary>
    private static ECDsa Key(byte first)
    {
        var d = new byte[32];
        for (var i = 0; i < d.Length; i++) d[i] = (byte)(first + i);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
    }
}
