using System.Text.RegularExpressions;

namespace Tessera.Scan.Tests.Support;

/// <summary>
/// The lines of `testssl --quiet --color 0 -p -S -R -Z` a scan is compared with (not its session "ID" line, whose
/// protocol depends on what testssl saw first). Each is null where testssl said
/// nothing determinate ("Connect problem", "No fallback possible"), because then there is nothing to agree with.
/// </summary>
public sealed partial class TestsslReport
{
    public bool? TicketResumption { get; private set; }
    public bool? OcspStapling { get; private set; }
    public bool? SecureRenegotiation { get; private set; }
    public bool? FallbackScsv { get; private set; }

    public static TestsslReport Parse(string text)
    {
        var r = new TestsslReport();
        if (Resumption().Match(text) is { Success: true } m)
        {
            r.TicketResumption = m.Groups["tickets"].Value switch { "yes" => true, "no" => false, _ => null };
        }
        if (Stapling().Match(text) is { Success: true } s) r.OcspStapling = s.Groups[1].Value == "offered";
        if (Renegotiation().Match(text) is { Success: true } n) r.SecureRenegotiation = n.Groups[1].Value == "supported";
        if (Fallback().Match(text) is { Success: true } f)
            r.FallbackScsv = f.Groups[1].Value.StartsWith("Downgrade attack prevention supported", StringComparison.Ordinal) ? true
                : f.Groups[1].Value.StartsWith("Downgrade attack prevention NOT supported", StringComparison.Ordinal) ? false
                : null;
        return r;
    }

    [GeneratedRegex(@"Session Resumption\s+(?:Tickets: (?<tickets>yes|no)|[^/\n]*?)\s*[,/]\s*ID: (?<id>yes|no)")]
    private static partial Regex Resumption();

    [GeneratedRegex(@"OCSP stapling\s+(offered|not offered)")]
    private static partial Regex Stapling();

    [GeneratedRegex(@"Secure Renegotiation \(RFC 5746\)\s+(supported|Not supported)")]
    private static partial Regex Renegotiation();

    [GeneratedRegex(@"TLS_FALLBACK_SCSV \(RFC 7507\)\s+(.+)")]
    private static partial Regex Fallback();
}
