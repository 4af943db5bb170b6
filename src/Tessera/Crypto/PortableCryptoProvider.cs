using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// The provider that runs everywhere .NET does: <c>System.Security.Cryptography</c> for the AEADs, HKDF, HMAC, hashes
/// and the NIST curves, BouncyCastle for X25519, X448 and ML-KEM (which .NET lacks on Linux).
/// </summary>
internal sealed class PortableCryptoProvider : CryptoProvider
{
    public static readonly PortableCryptoProvider Instance = new();

    private PortableCryptoProvider()
    {
    }

    public override string Name => "portable";

    public override bool SupportsGroup(NamedGroup group) =>
        group is NamedGroup.X25519 or NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 or NamedGroup.X448
            or NamedGroup.X25519MLKEM768;

    public override KeyExchange GenerateKeyExchange(NamedGroup group, RandomNumberGenerator? random) => group switch
    {
        NamedGroup.X25519 => MontgomeryKeyExchange.CreateX25519(random),
        NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1 => EcdhKeyExchange.Create(group, random),
        NamedGroup.X448 => MontgomeryKeyExchange.CreateX448(random),
        NamedGroup.X25519MLKEM768 => X25519MlKem768KeyExchange.Create(random, this),
        _ => throw new ArgumentException($"group {TlsNames.Of(group)} is not supported", nameof(group)),
    };

    public override RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => new PortableRecordAead(algorithm, key);

    public override void HkdfExtract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk) =>
        HKDF.Extract(hash, ikm, salt, prk);

    public override void HkdfExpand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output) =>
        HKDF.Expand(hash, prk, output, info);

    public override void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (hash == HashAlgorithmName.SHA384) HMACSHA384.HashData(key, data, output);
        else if (hash == HashAlgorithmName.SHA512) HMACSHA512.HashData(key, data, output);
        else HMACSHA256.HashData(key, data, output);
    }

    public override void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (hash == HashAlgorithmName.SHA384) SHA384.HashData(data, output);
        else if (hash == HashAlgorithmName.SHA512) SHA512.HashData(data, output);
        else SHA256.HashData(data, output);
    }
}
