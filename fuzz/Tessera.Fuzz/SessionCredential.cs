using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Pki;

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
        using var ca = FixedIssuer.Root("Fuzz Session Root", CaKey.FromEd25519Seed(Seed(0x10)));
        using var server = FixedIssuer.Leaf(ca, CaKey.FromEd25519Seed(Seed(0x20)), "localhost", client: false);
        using var client = FixedIssuer.Leaf(ca, CaKey.FromEd25519Seed(Seed(0x30)), "fuzz-client", client: true);
        return (server.ToCredential(), client.ToCredential(), X509CertificateLoader.LoadCertificate(ca.Certificate.RawData));
    }

    private static byte[] Seed(byte first)
    {
        var seed = new byte[32];
        for (var i = 0; i < seed.Length; i++) seed[i] = (byte)(first + i);
        return seed;
    }
}
