using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>The cases every peer runs: each suite with each group (ECDSA P-256), and each certificate type (default suite and group).</summary>
public static class Matrix
{
    public static readonly CipherSuite[] Suites = [CipherSuite.TlsAes128GcmSha256, CipherSuite.TlsAes256GcmSha384, CipherSuite.TlsChaCha20Poly1305Sha256];
    public static readonly NamedGroup[] Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];

    public static TheoryData<CipherSuite, NamedGroup, CertKind> Cases()
    {
        var data = new TheoryData<CipherSuite, NamedGroup, CertKind>();
        foreach (var s in Suites)
            foreach (var g in Groups)
                data.Add(s, g, CertKind.EcdsaP256);
        foreach (var k in new[] { CertKind.EcdsaP384, CertKind.Rsa2048, CertKind.RsaPss2048, CertKind.Ed25519 })
            data.Add(CipherSuite.TlsAes128GcmSha256, NamedGroup.X25519, k);
        return data;
    }
}
