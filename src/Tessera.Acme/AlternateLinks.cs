namespace Tessera.Acme;

/// <summary>
/// The <c>Link: &lt;url&gt;;rel="alternate"</c> entries of a certificate response (RFC 8555 §7.4.2): the URLs of the
/// same certificate with other chains. Other relations (up, index) are not needed and are skipped.
/// </summary>
internal static class AlternateLinks
{
    public static void Parse(string header, Uri baseUri, List<Uri> into)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var close = part.IndexOf('>', StringComparison.Ordinal);
            if (!part.StartsWith('<') || close < 0) continue;
            var target = part[1..close];
            var isAlternate = false;
            foreach (var param in part[(close + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (param.Replace(" ", "", StringComparison.Ordinal).Equals("rel=\"alternate\"", StringComparison.OrdinalIgnoreCase) ||
                    param.Equals("rel=alternate", StringComparison.OrdinalIgnoreCase))
                    isAlternate = true;
            if (isAlternate && Uri.TryCreate(baseUri, target, out var uri) && uri.Scheme == Uri.UriSchemeHttps) into.Add(uri);
        }
    }
}
