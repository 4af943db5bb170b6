using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Diagnostics;
using Tessera.Crypto;

namespace Tessera.Cli.Output;

/// <summary>One line per certificate of the peer's chain: subject, key type, validity, days to expiry, issuer (ConnectionView draws the tree).</summary>
internal static class ChainView
{
    public static string Describe(X509Certificate2 cert, DateTimeOffset now, out bool timeValid)
    {
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
        var days = (int)Math.Floor((notAfter - now).TotalDays);
        timeValid = now >= notBefore && now <= notAfter;
        var verdict = now > notAfter ? $"expired {-days} days ago" : now < notBefore ? "not yet valid" : $"expires in {days} days";
        return string.Create(CultureInfo.InvariantCulture,
            $"{PeerText.Clip(cert.Subject, 256)}  [{KeyDescription.Of(cert)}]  {notBefore:yyyy-MM-dd} → {notAfter:yyyy-MM-dd} ({verdict})  issuer {PeerText.Clip(cert.Issuer, 256)}");
    }
}
