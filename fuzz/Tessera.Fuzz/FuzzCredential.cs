using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Pki;

namespace Tessera.Fuzz;

/// <summary>
/// The certificates the connection targets use, made once per process by Tessera.Pki: a root, and a server and a client
/// leaf under it (ECDSA P-256), valid around <see cref="FixedClock.Instant"/>. The keys come from fixed scalars and the
/// serial numbers from <see cref="FixedEntropy"/>, so a chain in a committed seed (made in another process) still
/// verifies here; the certificates' own signatures vary (ECDSA).
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
        using (var rootKey = Key(0x40)) File.WriteAllText(Path.Combine(directory, "root-key.pem"), rootKey.ExportPem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), Server.Leaf.ExportCertificatePem());
        return 0;
    }

    private static (TlsCredential, TlsCredential, X509Certificate2, string) Make()
    {
        using var ca = FixedIssuer.Root("Fuzz Root", Key(0x40));
        var server = FixedIssuer.Leaf(ca, Key(0x50), "localhost", client: false);
        var client = FixedIssuer.Leaf(ca, Key(0x60), "fuzz-client", client: true);
        var serverKeyPem = server.KeyPem;
        var made = (server.ToCredential(), client.ToCredential(), X509CertificateLoader.LoadCertificate(ca.Certificate.RawData), serverKeyPem);
        server.Dispose();
        client.Dispose();
        return made;
    }

    /// <summary>A P-256 key from a fixed private scalar (OpenSSL derives the public point).</summary>
    private static CaKey Key(byte first)
    {
        var d = new byte[32];
        for (var i = 0; i < d.Length; i++) d[i] = (byte)(first + i);
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        return CaKey.Load(ec.ExportPkcs8PrivateKeyPem());
    }
}
