namespace Tessera.Acme;

/// <summary>The CA's suggested renewal window for a certificate (RFC 9773 §4.2).</summary>
/// <param name="Start">The window's start.</param>
/// <param name="End">Its end.</param>
/// <param name="ExplanationUrl">A page the CA gives to explain an unusual window (a mass revocation, say), if any.</param>
/// <param name="CheckAgainAfter">When to ask again (the response's Retry-After), if the server said.</param>
public sealed record RenewalWindow(DateTimeOffset Start, DateTimeOffset End, Uri? ExplanationUrl, DateTimeOffset? CheckAgainAfter);

/// <summary>Whether to renew a certificate now, or when.</summary>
/// <param name="RenewNow">True: renew now.</param>
/// <param name="RenewAt">When renewal is due (now or later).</param>
/// <param name="Reason">One sentence saying why, for logs and `tessera acme renew`.</param>
public sealed record RenewalDecision(bool RenewNow, DateTimeOffset RenewAt, string Reason);

/// <summary>
/// When to renew, as certbot and lego decide it: the CA's ARI window when it offers one (a uniformly random point in
/// it, RFC 9773 §4.2, so a fleet's renewals spread out; a point already past means now), otherwise once two thirds of
/// the certificate's lifetime have passed. An expired certificate is renewed at once either way.
/// </summary>
public static class RenewalPolicy
{
    /// <summary>Decides for a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static RenewalDecision Decide(DateTimeOffset notBefore, DateTimeOffset notAfter, RenewalWindow? window, DateTimeOffset now, Random random)
    {
        if (notAfter <= now) return new RenewalDecision(true, now, $"it expired on {notAfter:u}");
        if (window is { } w && w.End > w.Start)
        {
            var at = w.Start + (w.End - w.Start) * random.NextDouble();
            var explained = w.ExplanationUrl is { } url ? $" (the CA explains: {url})" : "";
            return at <= now
                ? new RenewalDecision(true, now, $"the CA's renewal window {w.Start:u} to {w.End:u} has come{explained}")
                : new RenewalDecision(false, at, $"the CA suggests renewing between {w.Start:u} and {w.End:u}; chosen: {at:u}{explained}");
        }
        var due = notBefore + (notAfter - notBefore) * 2 / 3;
        return due <= now
            ? new RenewalDecision(true, now, $"two thirds of its lifetime have passed (valid until {notAfter:u})")
            : new RenewalDecision(false, due, $"due at two thirds of its lifetime, {due:u} (valid until {notAfter:u})");
    }
}
