namespace Tessera.Acme.Server;

/// <summary>
/// A certificate profile a client picks per order (the ACME profiles extension, draft-aaron-acme-profiles, as Let's
/// Encrypt offers it): a name listed in the directory's <c>meta.profiles</c> with its description, the lifetime of
/// what it issues, and whether IP address identifiers are allowed.
/// </summary>
/// <param name="Name">The name clients send in newOrder's <c>profile</c>.</param>
/// <param name="Description">What the directory says about it.</param>
/// <param name="Lifetime">The certificates' lifetime.</param>
/// <param name="AllowIpAddresses">Whether orders may name IP addresses (RFC 8738).</param>
public sealed record AcmeProfile(string Name, string Description, TimeSpan Lifetime, bool AllowIpAddresses)
{
    /// <summary>90 days, DNS names only: what Let's Encrypt's <c>classic</c> issues.</summary>
    public static AcmeProfile Classic(TimeSpan? lifetime = null) =>
        new("classic", "DNS names, valid 90 days", lifetime ?? TimeSpan.FromDays(90), AllowIpAddresses: false);

    /// <summary>Six days, DNS names and IP addresses: Let's Encrypt's <c>shortlived</c>.</summary>
    public static AcmeProfile ShortLived(TimeSpan? lifetime = null) =>
        new("shortlived", "DNS names and IP addresses, valid 6 days", lifetime ?? TimeSpan.FromDays(6), AllowIpAddresses: true);
}
