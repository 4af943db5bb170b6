using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>How the server runs a handshake beyond versions and suites: signature schemes, HelloRetryRequest, record_size_limit.</summary>
public sealed record HandshakeFeatures
{
    /// <summary>Signature schemes the server signed with when each was the only one offered, per version.</summary>
    public List<(ProtocolVersion Version, List<string> Schemes)> SignatureSchemes { get; init; } = [];
    /// <summary>The group a TLS 1.3 server names in a HelloRetryRequest when the hello carries no key share: its favourite.</summary>
    public string? RetryGroup { get; init; }
    /// <summary>Whether that HelloRetryRequest carried a cookie (RFC 8446 §4.2.2: stateless retry).</summary>
    public bool? RetryCookie { get; init; }
    /// <summary>A key share for x25519 with P-256 listed first: does the server ask again for P-256 rather than use the share it has?</summary>
    public bool? RetryForPreferredGroup { get; init; }
    /// <summary>record_size_limit (RFC 8449) the server announced in TLS 1.2; null when it ignored the extension.</summary>
    public ushort? RecordSizeLimitTls12 { get; init; }
    /// <summary>record_size_limit the server announced in TLS 1.3; null when it ignored the extension.</summary>
    public ushort? RecordSizeLimitTls13 { get; init; }
    /// <summary>
    /// RFC 8879: the algorithms the server compressed its certificate with when each was the only one offered (brotli,
    /// zlib; zstd is not asked, Tessera cannot decompress it); null without TLS 1.3.
    /// </summary>
    public List<string>? CertificateCompression { get; init; }
}
