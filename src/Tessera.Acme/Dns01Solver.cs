namespace Tessera.Acme;

/// <summary>
/// Answers dns-01 (RFC 8555 §8.4) through an <see cref="IDns01Provider"/>: the TXT record
/// <c>_acme-challenge.NAME.</c> holding base64url(SHA-256(key authorization)), then a wait for it to reach the zone's
/// servers (<see cref="PropagationDelay"/>) before the CA is told to look. The only challenge for wildcard names.
/// </summary>
public sealed class Dns01Solver(IDns01Provider provider, TimeProvider? clock = null) : IAcmeChallengeSolver
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>How long to wait after publishing before the CA validates (a DNS host's API may take a while to reach its servers).</summary>
    public TimeSpan PropagationDelay { get; init; }

    /// <inheritdoc/>
    public string ChallengeType => "dns-01";

    /// <summary>The TXT record name for <paramref name="identifier"/> (a wildcard's authorization names the base domain).</summary>
    public static string RecordName(string identifier) => "_acme-challenge." + identifier.TrimStart('*', '.').TrimEnd('.') + ".";

    /// <inheritdoc/>
    public async Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        await provider.PresentAsync(RecordName(challenge.Identifier), challenge.KeyAuthorizationDigest, cancellationToken).ConfigureAwait(false);
        if (PropagationDelay > TimeSpan.Zero) await Task.Delay(PropagationDelay, _clock, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken) =>
        provider.CleanupAsync(RecordName(challenge.Identifier), challenge.KeyAuthorizationDigest, cancellationToken);
}
