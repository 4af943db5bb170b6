namespace Tessera.Acme;

/// <summary>What an <see cref="AcmeException"/> is about, so a program (or the CLI's exit codes) can tell them apart.</summary>
public enum AcmeFailure
{
    /// <summary>The caller's input or configuration: a bad key, no identifiers, a directory URL that is not https.</summary>
    Configuration,

    /// <summary>The directory could not be reached, or did not answer in time.</summary>
    Connection,

    /// <summary>The server answered something that is not ACME: not JSON, a missing field, a certificate for other names.</summary>
    Protocol,

    /// <summary>The server refused the request with a problem document (RFC 8555 §6.7): <see cref="AcmeException.ProblemType"/> says which.</summary>
    Refused,

    /// <summary>A challenge did not validate, or an order became invalid.</summary>
    Validation,

    /// <summary>The CA's rate limit was reached (§6.6); <see cref="AcmeException.RetryAfter"/> says until when, when the server said.</summary>
    RateLimited,

    /// <summary>Something the server was to finish (validation, issuance) did not finish within the time allowed.</summary>
    Timeout,
}
