namespace Tessera.Scan;

/// <summary>What the server's Strict-Transport-Security said; <see cref="Present"/> false: an HTTP answer without it.</summary>
/// <param name="MaxAgeSeconds">max-age, or null when the header had none that parses.</param>
/// <param name="IncludeSubDomains">The includeSubDomains directive.</param>
/// <param name="Preload">The preload directive.</param>
/// <param name="Present">Whether the header was there at all.</param>
public sealed record HstsPolicy(long? MaxAgeSeconds, bool IncludeSubDomains, bool Preload, bool Present = true);
