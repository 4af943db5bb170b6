using Tessera.Crypto;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>TLS 1.2 cases every peer runs: each suite with the certificate type it needs (X25519), and the other groups once.</summary>
public static class Matrix12
{
    public static readonly CipherSuite[] Suites =
    [
        CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256, CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384, CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256,
        CipherSuite.TlsEcdheRsaWithAes128GcmSha256, CipherSuite.TlsEcdheRsaWithAes256GcmSha384, CipherSuite.TlsEcdheRsaWithChaCha20Poly1305Sha256,
    ];

    public static CertKind CertFor(CipherSuite suite) =>
        CipherSuiteInfo.Get(suite).Authentication == SuiteAuthentication.Rsa ? CertKind.Rsa2048 : CertKind.EcdsaP256;

    public static TheoryData<CipherSuite, NamedGroup> Cases()
    {
        var data = new TheoryData<CipherSuite, NamedGroup>();
        foreach (var s in Suites) data.Add(s, NamedGroup.X25519);
        data.Add(CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256, NamedGroup.Secp256r1);
        data.Add(CipherSuite.TlsEcdheRsaWithAes256GcmSha384, NamedGroup.Secp384r1);
        return data;
    }
}
