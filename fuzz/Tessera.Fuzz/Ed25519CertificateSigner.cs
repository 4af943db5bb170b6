using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>
/// Signs certificates with Ed25519 (RFC 8410), which .NET's CertificateRequest cannot do itself. Ed25519 signatures
/// are deterministic, so a chain made from fixed seeds is the same bytes in every process.
/// </summary>
internal sealed class Ed25519CertificateSigner(byte[] seed) : X509SignatureGenerator
{
    /// <summary>AlgorithmIdentifier { id-Ed25519 } with absent parameters (RFC 8410 §3).</summary>
    private static readonly byte[] AlgorithmIdentifier = [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70];

    public static PublicKey PublicKeyOf(byte[] seed)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence()) w.WriteObjectIdentifier("1.3.101.112");
            w.WriteBitString(new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded());
        }
        return PublicKey.CreateFromSubjectPublicKeyInfo(w.Encode(), out _);
    }

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => AlgorithmIdentifier;

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        using var key = TlsSigningKey.FromEd25519Seed(seed);
        return key.Sign(SignatureScheme.Ed25519, data);
    }

    protected override PublicKey BuildPublicKey() => PublicKeyOf(seed);
}
