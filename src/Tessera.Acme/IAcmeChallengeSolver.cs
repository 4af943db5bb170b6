namespace Tessera.Acme;

/// <summary>
/// Answers one kind of ACME challenge (RFC 8555 §8): makes the key authorization visible where the CA will look
/// before the client tells the CA to validate, and takes it away afterwards.
/// </summary>
public interface IAcmeChallengeSolver
{
    /// <summary>The challenge type it answers: "http-01", "tls-alpn-01" or "dns-01".</summary>
    string ChallengeType { get; }

    /// <summary>Publishes the answer to <paramref name="challenge"/>; returns once the CA can see it.</summary>
    Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken);

    /// <summary>Withdraws what <see cref="PrepareAsync"/> published (called whether validation succeeded or not).</summary>
    Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken);
}

/// <summary>What a solver needs to answer one challenge.</summary>
/// <param name="IdentifierType">"dns" or "ip".</param>
/// <param name="Identifier">The name or address being validated (for a wildcard order, the name without "*.").</param>
/// <param name="Token">The challenge token (base64url).</param>
/// <param name="KeyAuthorization">token "." thumbprint of the account key (§8.1): what http-01 serves; dns-01 and tls-alpn-01 publish its SHA-256.</param>
public sealed record AcmeChallengeContext(string IdentifierType, string Identifier, string Token, string KeyAuthorization)
{
    /// <summary>SHA-256 of the key authorization, base64url: the TXT value of dns-01 (§8.4).</summary>
    public string KeyAuthorizationDigest => Base64Url.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(KeyAuthorization)));
}
