namespace Tessera.Acme.Server;

/// <summary>
/// A request the server refuses, as the problem document it answers with (RFC 8555 §6.7, RFC 7807): the ACME error
/// type (without its <c>urn:ietf:params:acme:error:</c> prefix), the HTTP status, a detail sentence, and for
/// <c>rateLimited</c> the wait that goes into <c>Retry-After</c>. Thrown anywhere below the request handler, which
/// writes it; nothing of the server's state has changed when it is thrown.
/// </summary>
public sealed class AcmeProblemException : Exception
{
    /// <summary>A problem of <paramref name="type"/> with <paramref name="status"/>.</summary>
    public AcmeProblemException(string type, int status, string detail, TimeSpan? retryAfter = null) : base(detail)
    {
        Type = type;
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>The ACME error type: malformed, badNonce, unauthorized, rateLimited … (the part after the URN prefix).</summary>
    public string Type { get; }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>How long the client should wait (rateLimited), sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>badSignatureAlgorithm: the algorithms the server accepts, listed in the problem (§6.2).</summary>
    public IReadOnlyList<string>? Algorithms { get; init; }

    /// <summary>An account with this key already exists (key change): its URL, sent as Location with the 409.</summary>
    public Uri? Location { get; init; }

    internal static AcmeProblemException Malformed(string detail) => new("malformed", 400, detail);
    internal static AcmeProblemException Unauthorized(string detail) => new("unauthorized", 403, detail);
    internal static AcmeProblemException NotFound(string detail) => new("malformed", 404, detail);
}
