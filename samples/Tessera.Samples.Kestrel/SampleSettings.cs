using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera.AspNetCore;

namespace Tessera.Samples.Kestrel;

/// <summary>What the sample listens on and serves.</summary>
public sealed record SampleSettings
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (see the app's Urls).</summary>
    public int Port { get; init; } = 8443;
    public required string CertificateFile { get; init; }
    public required string KeyFile { get; init; }
    public HttpProtocols Protocols { get; init; } = HttpProtocols.Http1AndHttp2;
    /// <summary>
    /// Kestrel's AllowAlternateSchemes: accept HTTP/2 requests whose :scheme is http on this TLS endpoint, which is
    /// what TesseraHttpHandler sends for HTTP/2 (its README section says why).
    /// </summary>
    public bool AllowAlternateSchemes { get; init; }
    /// <summary>More TLS configuration after the certificate files are added (client certificates, SNI map, …).</summary>
    public Action<TesseraHttpsOptions>? ConfigureTls { get; init; }
    /// <summary>An extra log destination (tests read handshake failures from it).</summary>
    public Microsoft.Extensions.Logging.ILoggerProvider? Logging { get; init; }
}
