using System.Security.Cryptography;
using Tessera.Cli.Cli;

namespace Tessera.Cli.Pki;

/// <summary>Key algorithms `tessera ca` can make.</summary>
internal enum KeyType { EcdsaP256, EcdsaP384, Rsa2048, Rsa3072, Ed25519 }

internal static class KeyTypes
{
    public static KeyType Parse(string text) => text.ToLowerInvariant() switch
    {
        "ecdsa-p256" or "p256" or "ecdsa" => KeyType.EcdsaP256,
        "ecdsa-p384" or "p384" => KeyType.EcdsaP384,
        "rsa2048" or "rsa" => KeyType.Rsa2048,
        "rsa3072" => KeyType.Rsa3072,
        "ed25519" => KeyType.Ed25519,
        _ => throw new CliException(ExitCodes.Usage, $"unknown key type '{text}'; use ecdsa-p256, ecdsa-p384, rsa2048, rsa3072 or ed25519"),
    };
}
