namespace Tessera.Acme;

/// <summary>
/// An ACME operation that failed, as one sentence naming the problem, the identifier when there is one, and what to do.
/// Text from the server (problem details) appears in it with control characters escaped and its length capped.
/// </summary>
public sealed class AcmeException : Exception
{
    /// <summary>A failure without a problem document.</summary>
    public AcmeException(AcmeFailure failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

    internal AcmeException(AcmeFailure failure, string message, AcmeException inner) : base(message, inner)
    {
        Failure = failure;
        ProblemType = inner.ProblemType;
        RetryAfter = inner.RetryAfter;
    }

    internal AcmeException(AcmeFailure failure, string message, AcmeProblem problem, DateTimeOffset? retryAfter) : base(message)
    {
        Failure = failure;
        ProblemType = problem.Type;
        RetryAfter = retryAfter;
    }

    /// <summary>What kind of failure it is.</summary>
    public AcmeFailure Failure { get; }

    /// <summary>The problem document's type ("urn:ietf:params:acme:error:rateLimited"), when the server sent one.</summary>
    public string? ProblemType { get; }

    /// <summary>When the server said to try again (its Retry-After), if it said.</summary>
    public DateTimeOffset? RetryAfter { get; }
}
