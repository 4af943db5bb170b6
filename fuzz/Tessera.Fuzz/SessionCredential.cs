using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Crypto;

namespace Tessera.Fuzz;

/// <summary>
/// The certificates of <see cref="FuzzSession"/>: an Ed25519 root and Ed25519 server and client leaves under it,
/// from fixed seeds. Every byte of the session's handshake is then the same in every process (Ed25519 signs
/// deterministically, the randomness and clock are fixed), so a seed that replaces a record with what it held in an
/// earlier run replays into the same transcript and the handshake still completes.
/// </summary>
internal static class SessionCredential
{
    private static readonly Lazy<(TlsCredential Server, TlsCredential Client, X509Certificate2 Root)> Made = new(Make);

    public static TlsCredential Server => Made.Value.Server;
    public static TlsCredential Client => Made.Value.Client;
    public static X509Certificate2 Root => Made.Value.Root;

    private static (TlsCredential, TlsCredential, X509Certificate2) Make()
    {
        var from = FixedClock.Instant.AddDays(-1);
        var to = FixedClock.Instant.AddDays(365);
        var rootSeed = Seed(0x10);
        var rootRequest = new CertificateRequest(new X500DistinguishedName("CN=Fuzz Session Root"), Ed25519CertificateSigner.PublicKeyOf(rootSeed), HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.Create(rootRequest.SubjectName, new Ed25519CertificateSigner(rootSeed), from, to, [1]);
        return (Leaf(root, rootSeed, "localhost", Seed(0x20), serverAuth: true, from, to),
            Leaf(root, rootSeed, "fuzz-client", Seed(0x30), serverAuth: false, from, to), root);
    }

    private static TlsCredential Leaf(X509Certificate2 root, byte[] rootSeed, string name, byte[] seed, bool serverAuth, DateTimeOffset from, DateTimeOffset to)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), Ed25519CertificateSigner.PublicKeyOf(seed), HashAlgorithmName.SHA256);
        FuzzCredential.AddLeafExtensions(request, root, name, serverAuth);
        var leaf = request.Create(root.SubjectName, new Ed25519CertificateSigner(rootSeed), from, to, [2, (byte)(serverAuth ? 1 : 2)]);
        return new TlsCredential([leaf], TlsSigningKey.FromEd25519Seed(seed));
    }

    private static byte[] Seed(byte first)
    {
        var seed = new byte[32];
        for (var i = 0; i < seed.Length; i++) seed[i] = (byte)(first + i);
        return seed;
    }
}
