using Tessera.Certificates;

namespace Tessera.Acme;

/// <summary>How an <see cref="AcmeClient"/> talks to its CA.</summary>
public sealed record AcmeClientOptions
{
    /// <summary>
    /// The roots that vouch for the directory's HTTPS certificate: a private CA's, or Pebble's test certificate. Null:
    /// the system's. Ignored when <see cref="Http"/> is given.
    /// </summary>
    public TrustStore? Trust { get; init; }

    /// <summary>The HttpClient to use instead of one over Tessera's own TLS (the caller then owns it and its trust).</summary>
    public HttpClient? Http { get; init; }

    /// <summary>The clock polling waits on and Retry-After dates are read against.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long a challenge may take to validate, and an order to be issued, before the client gives up.</summary>
    public TimeSpan ValidationTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The wait between polls when the server gives no Retry-After (RFC 8555 §7.5.1 leaves the pace to the client).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told each step of an order as it happens ("answering http-01 for example.com"), for a terminal's progress lines; null: silent.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The longest wait a server's Retry-After is followed for while polling; longer ones are cut to this.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);
}
