using System.Security.Cryptography;
using Tessera.Cli.Cli;

namespace Tessera.Cli.Pki;

/// <summary>Key algorithms `tessera ca` can make. (Ed25519 keys are verified by Tessera, but .NET cannot issue certificates with them.)</summary>
internal enum KeyType { EcdsaP256, EcdsaP384, Rsa2048, Rsa3072 }

internal static class KeyTypes
{
    public static KeyType Parse(string text) => text.ToLowerInvariant() switch
    {
        "ecdsa-p256" or "p256" or "ecdsa" => KeyType.EcdsaP256,
        "ecdsa-p384" or "p384" => KeyType.EcdsaP384,
        "rsa2048" or "rsa" => KeyType.Rsa2048,
        "rsa3072" => KeyType.Rsa3072,
        "ed25519" => throw new CliException(ExitCodes.Usage, ".NET's certificate builder cannot sign with Ed25519; use ecdsa-p256, ecdsa-p384, rsa2048 or rsa3072"),
        _ => throw new CliException(ExitCodes.Usage, $"unknown key type '{text}'; use ecdsa-p256, ecdsa-p384, rsa2048 or rsa3072"),
    };

    public static AsymmetricAlgorithm Create(KeyType type) => type switch
    {
        KeyType.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyType.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyType.Rsa2048 => RSA.Create(2048),
        _ => RSA.Create(3072),
    };
}
