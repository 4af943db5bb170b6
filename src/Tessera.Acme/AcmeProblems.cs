namespace Tessera.Acme;

/// <summary>
/// Problem documents (RFC 8555 §6.7) as sentences: what went wrong, for which identifier, and what to do. The server's
/// own detail is quoted (cleaned), since it often says the most.
/// </summary>
internal static class AcmeProblems
{
    private const string Prefix = "urn:ietf:params:acme:error:";
    public const string BadNonce = Prefix + "badNonce";

    public static AcmeException ToException(AcmeProblem? problem, AcmeResponse response, Uri url)
    {
        if (problem?.Type is null)
            return new AcmeException(AcmeFailure.Protocol, $"the ACME server answered HTTP {(int)response.Status} to {url} without a problem document");
        var sentence = Sentence(problem, response.RetryAfter);
        var failure = problem.Type switch
        {
            Prefix + "rateLimited" => AcmeFailure.RateLimited,
            Prefix + "malformed" or Prefix + "badCSR" or Prefix + "badPublicKey" or Prefix + "badSignatureAlgorithm" => AcmeFailure.Protocol,
            _ => AcmeFailure.Refused,
        };
        return new AcmeException(failure, sentence, problem, response.RetryAfter);
    }

    /// <summary>One sentence for <paramref name="problem"/> (and its subproblems, each with its identifier).</summary>
    public static string Sentence(AcmeProblem problem, DateTimeOffset? retryAfter = null)
    {
        var name = problem.Type is { } t && t.StartsWith(Prefix, StringComparison.Ordinal) ? t[Prefix.Length..] : UntrustedText.Clean(problem.Type ?? "unknown", 100);
        var identifier = problem.Identifier is { } id ? $" for {UntrustedText.Clean(id.Value, 100)}" : "";
        var detail = string.IsNullOrWhiteSpace(problem.Detail) ? "" : $": {UntrustedText.Clean(problem.Detail)}";
        var advice = Advice(name, retryAfter);
        var sentence = $"the CA refused{identifier} ({name}){detail}{(advice.Length > 0 ? "; " + advice : "")}";
        if (problem.Subproblems is { Count: > 0 } subs)
        {
            var shown = 0;
            foreach (var sub in subs)
            {
                if (shown++ == 5) { sentence += $"; and {subs.Count - 5} more"; break; }
                var subName = sub.Type is { } st && st.StartsWith(Prefix, StringComparison.Ordinal) ? st[Prefix.Length..] : "problem";
                sentence += $"; {UntrustedText.Clean(sub.Identifier?.Value ?? "?", 100)}: {subName}{(string.IsNullOrWhiteSpace(sub.Detail) ? "" : ": " + UntrustedText.Clean(sub.Detail, 200))}";
            }
        }
        return sentence;
    }

    private static string Advice(string type, DateTimeOffset? retryAfter) => type switch
    {
        "rateLimited" => retryAfter is { } at ? $"the CA's rate limit was reached: try again after {at:u}" : "the CA's rate limit was reached: wait before trying again",
        "rejectedIdentifier" => "the CA will not issue for this name; check its policy",
        "caa" => "a CAA record forbids this CA for the name: add the CA to the domain's CAA records",
        "unauthorized" => "the account may not do this, or the challenge response was wrong",
        "dns" => "the name does not resolve as the CA sees it",
        "connection" => "the CA could not connect to the server answering the challenge: check the name points here and the port is open",
        "incorrectResponse" => "the challenge response did not match: check that this host answers for the name",
        "tls" => "the CA's TLS connection for the challenge failed",
        "externalAccountRequired" => "this CA requires External Account Binding: give its key ID and HMAC key",
        "accountDoesNotExist" => "no account exists for this key: create one first",
        "userActionRequired" => "the CA requires action on its website (for example new terms of service)",
        _ => "",
    };
}
