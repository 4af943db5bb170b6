using System.Collections.Concurrent;

namespace Tessera.Acme;

/// <summary>
/// The http-01 answers currently published (RFC 8555 §8.3): token to key authorization. Mount <see cref="TryAnswer"/>
/// at <c>/.well-known/acme-challenge/{token}</c> of an existing HTTP server on port 80, or let
/// <see cref="StandaloneHttp01Responder"/> serve them.
/// </summary>
public sealed class Http01Tokens : IAcmeChallengeSolver
{
    /// <summary>The path prefix the CA requests.</summary>
    public const string PathPrefix = "/.well-known/acme-challenge/";

    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string ChallengeType => "http-01";

    /// <summary>The key authorization for a request path, if one is published (the body of a 200 text/plain answer).</summary>
    public bool TryAnswer(string path, out string keyAuthorization)
    {
        keyAuthorization = "";
        return path.StartsWith(PathPrefix, StringComparison.Ordinal) && _answers.TryGetValue(path[PathPrefix.Length..], out keyAuthorization!);
    }

    /// <inheritdoc/>
    public Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        _answers[challenge.Token] = challenge.KeyAuthorization;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        _answers.TryRemove(challenge.Token, out _);
        return Task.CompletedTask;
    }
}
