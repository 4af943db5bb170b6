namespace Tessera.Proxy.Acme;

/// <summary>
/// A site's certificate from an ACME CA instead of files (the site's <c>"Acme"</c> section): the proxy orders it for
/// the site's server names, answers the challenge itself, stores it, and renews it in the background.
/// </summary>
public sealed record ProxyAcmeSettings
{
    /// <summary>The CA's directory URL (https).</summary>
    public required Uri Directory { get; init; }

    /// <summary>The account's contact address, if any.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// "tls-alpn-01" (the default: answered on the site's own TLS listener, so nothing else needs to listen),
    /// "http-01" (answered by the proxy's plain-HTTP listener, <see cref="ProxyAcmeOptions.HttpListen"/>) or "dns-01"
    /// (TXT records set by <see cref="DnsHook"/>; the only one that proves a wildcard name).
    /// </summary>
    public string Challenge { get; init; } = "tls-alpn-01";

    /// <summary>For dns-01: the program run (without a shell) as <c>PROGRAM present|cleanup NAME VALUE</c> to set and remove the TXT record.</summary>
    public string? DnsHook { get; init; }

    /// <summary>The certificate profile to order (one the directory lists), or null for the CA's default.</summary>
    public string? Profile { get; init; }

    /// <summary>The certificate key: ec256 (default), ec384, rsa2048, rsa3072.</summary>
    public string KeyType { get; init; } = "ec256";

    /// <summary>A PEM file of roots that vouch for the directory's HTTPS certificate (a private CA); null: the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>External Account Binding key identifier, for CAs that require one (with <see cref="EabHmac"/>).</summary>
    public string? EabKeyId { get; init; }

    /// <summary>External Account Binding MAC key (base64url).</summary>
    public string? EabHmac { get; init; }
}

/// <summary>What every ACME site of a proxy shares: where certificates are kept and the plain-HTTP listener.</summary>
public sealed record ProxyAcmeOptions
{
    /// <summary>The folder accounts and certificates are kept in (an <c>AcmeFileStore</c>).</summary>
    public required string Storage { get; init; }

    /// <summary>
    /// A plain-HTTP listener (ADDR:PORT, usually port 80) that answers http-01 challenges and redirects every other
    /// request to https on the same host; null: none (http-01 sites then cannot validate).
    /// </summary>
    public HostPort? HttpListen { get; init; }

    /// <summary>How soon a failed order or renewal is tried again at first (doubling each time, at most an hour).</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock renewals are timed by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
