namespace Tessera.Proxy.Hosting;

/// <summary>Where a <see cref="ProxyHost"/> reports what it does.</summary>
public sealed record ProxyHostOptions
{
    /// <summary>Told about every connection when it ends.</summary>
    public Action<ProxyConnectionRecord>? Connections { get; init; }

    /// <summary>Told about every request of an http-mode site (an access log).</summary>
    public Action<ProxyRequestRecord>? Requests { get; init; }

    /// <summary>Told what the host notices while serving: OCSP staples fetched or failing, Redis lost or back.</summary>
    public Action<ProxyHostEvent>? Events { get; init; }

    /// <summary>A served certificate expiring sooner than this is a warning at start and reload (counted by <c>tessera.proxy.certificate.warnings</c>).</summary>
    public TimeSpan ExpiryWarning { get; init; } = CertificateValidity.DefaultWarning;

    /// <summary>The clock the certificates are judged by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
