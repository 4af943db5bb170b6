using System.Net;

namespace Tessera.Acme;

/// <summary>Names as ACME identifiers: IP addresses as "ip" (RFC 8738, in their canonical text), the rest as "dns", lower-cased.</summary>
internal static class AcmeIdentifiers
{
    public static List<AcmeIdentifierDocument> From(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new AcmeException(AcmeFailure.Configuration, "name at least one DNS name or IP address to order a certificate for");
        var result = new List<AcmeIdentifierDocument>(names.Count);
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (IPAddress.TryParse(name, out var ip)) result.Add(new AcmeIdentifierDocument { Type = "ip", Value = ip.ToString() });
            else if (name.Length is > 0 and <= 253) result.Add(new AcmeIdentifierDocument { Type = "dns", Value = name.ToLowerInvariant().TrimEnd('.') });
            else throw new AcmeException(AcmeFailure.Configuration, $"'{UntrustedText.Clean(name, 60)}' is neither a DNS name nor an IP address");
        }
        return result;
    }
}
