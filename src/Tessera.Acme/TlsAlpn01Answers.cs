using System.Collections.Concurrent;
using Tessera.Certificates;

namespace Tessera.Acme;

/// <summary>
/// tls-alpn-01 answers for a TLS server that is already running (a proxy's own listener): <see cref="PrepareAsync"/>
/// keeps the validation certificate for the challenge's SNI, and the server asks <see cref="For"/> when a ClientHello
/// offers <c>acme-tls/1</c> — the one case where it presents this certificate instead of the site's (RFC 8737 §3).
/// </summary>
public sealed class TlsAlpn01Answers : IAcmeChallengeSolver
{
    private readonly ConcurrentDictionary<string, TlsCredential> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _clock;

    /// <summary>Answers dated by <paramref name="clock"/> (the system's when null).</summary>
    public TlsAlpn01Answers(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <inheritdoc/>
    public string ChallengeType => "tls-alpn-01";

    /// <summary>The validation certificate for a ClientHello's SNI, or null when no challenge for that name is being answered.</summary>
    public TlsCredential? For(string? serverName) => serverName is not null && _credentials.TryGetValue(serverName, out var c) ? c : null;

    /// <inheritdoc/>
    public Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        var name = TlsAlpn01Certificate.ServerNameFor(challenge.Identifier);
        var credential = TlsAlpn01Certificate.Create(challenge.Identifier, challenge.KeyAuthorization, _clock.GetUtcNow());
        // A replaced credential is not disposed: a validator's handshake may still be using it; the collector takes it.
        _credentials[name] = credential;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        _credentials.TryRemove(TlsAlpn01Certificate.ServerNameFor(challenge.Identifier), out _);
        return Task.CompletedTask;
    }
}
