using Tessera.Cli.Settings;

namespace Tessera.Cli.Commands;

/// <summary>Everything `tessera connect` was asked to do, parsed and checked.</summary>
internal sealed record ConnectSettings
{
    public required Endpoint Target { get; init; }
    public string? ServerName { get; init; }
    public string[] Alpn { get; init; } = [];
    public bool Tls12Only { get; init; }
    public bool Tls13Only { get; init; }
    public string? Groups { get; init; }
    public string? Ciphers { get; init; }
    public string? Sigalgs { get; init; }
    /// <summary>RFC 8879 algorithms to offer, e.g. "brotli,zlib", or "none"; null keeps the library's default (brotli, zlib).</summary>
    public string? CertCompression { get; init; }
    public string? CaFile { get; init; }
    /// <summary>CRL files the server's chain is checked against (--crl).</summary>
    public IReadOnlyList<string> CrlFiles { get; init; } = [];
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? KeyLogFile { get; init; }
    public int Resume { get; init; }
    public string? EarlyDataFile { get; init; }
    public bool Json { get; init; }
    /// <summary>--html: also write the handshake ladder page here.</summary>
    public string? HtmlFile { get; init; }
    public bool Quiet { get; init; }
    public bool Insecure { get; init; }
    /// <summary>The verifier profile: WebPki (default) or Rfc5280 for a private PKI (Ed25519 keys, leaves without an EKU).</summary>
    public Tessera.Certificates.VerificationProfile Profile { get; init; } = Tessera.Certificates.VerificationProfile.WebPki;
    public bool Verbose { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
