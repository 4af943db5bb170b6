using System.Security.Cryptography.X509Certificates;

namespace Tessera.Proxy.Hosting;

/// <summary>
/// What an operator must hear about a certificate about to be served: expired, not yet valid, or expiring within the
/// warning threshold (14 days by default, the shipped alert rules' warning). A server keeps serving it (clients
/// decide), but says so at start and at every reload, and the proxy counts it.
/// </summary>
public static class CertificateValidity
{
    /// <summary>The default warning threshold, the same as <c>deploy/prometheus/tessera-rules.yml</c>'s warning.</summary>
    public static readonly TimeSpan DefaultWarning = TimeSpan.FromDays(14);

    /// <summary>
    /// <c>expired</c>, <c>not_yet_valid</c> or <c>expiring_soon</c> with a sentence, or null when <paramref name="leaf"/>
    /// is valid at <paramref name="now"/> for longer than <paramref name="warning"/>.
    /// </summary>
    public static (string Reason, string Sentence)? Check(X509Certificate2 leaf, DateTimeOffset now, TimeSpan warning)
    {
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var who = $"{leaf.Subject} serial {leaf.SerialNumber}";
        if (now > notAfter)
            return ("expired", $"certificate {who} expired {notAfter:yyyy-MM-dd HH:mm}Z, {Days(now - notAfter)} ago: clients will refuse it");
        if (now < notBefore)
            return ("not_yet_valid", $"certificate {who} is not valid until {notBefore:yyyy-MM-dd HH:mm}Z, {Days(notBefore - now)} from now: clients will refuse it (is this clock right?)");
        if (notAfter - now < warning)
            return ("expiring_soon", $"certificate {who} expires {notAfter:yyyy-MM-dd HH:mm}Z, in {Days(notAfter - now)}");
        return null;
    }

    private static string Days(TimeSpan t) => t.TotalDays >= 2 ? $"{Math.Floor(t.TotalDays):0} days" : t.TotalHours >= 2 ? $"{Math.Floor(t.TotalHours):0} hours" : $"{Math.Max(1, Math.Floor(t.TotalMinutes)):0} minutes";
}
