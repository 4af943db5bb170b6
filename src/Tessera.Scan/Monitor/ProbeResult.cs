namespace Tessera.Scan.Monitor;

/// <summary>
/// What one probe of a target found. A failed probe has <see cref="Error"/> and no connection facts; the chain facts are
/// there whenever a certificate arrived, even if the handshake then failed.
/// </summary>
public sealed record ProbeResult
{
    /// <summary>When the probe started.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Connect and handshake, end to end.</summary>
    public required TimeSpan Duration { get; init; }
    /// <summary>The handshake alone (after the TCP connection); null when no handshake completed.</summary>
    public TimeSpan? Handshake { get; init; }
    /// <summary>Why the probe failed, as one sentence (control characters escaped: it may quote the server); null when the handshake completed.</summary>
    public string? Error { get; init; }
    /// <summary>The failure as a bounded word for a label: <c>connect</c>, <c>timeout</c>, or an alert name such as <c>handshake_failure</c>.</summary>
    public string? ErrorKind { get; init; }
    /// <summary>The negotiated version's name ("TLS 1.3").</summary>
    public string? Version { get; init; }
    /// <summary>The negotiated suite's IANA name.</summary>
    public string? CipherSuite { get; init; }
    /// <summary>The key exchange group's name; null for a group-less exchange.</summary>
    public string? Group { get; init; }
    /// <summary>The ALPN protocol the server chose, if any.</summary>
    public string? ApplicationProtocol { get; init; }
    /// <summary>When the leaf certificate expires.</summary>
    public DateTimeOffset? LeafNotAfter { get; init; }
    /// <summary>When the leaf becomes valid.</summary>
    public DateTimeOffset? LeafNotBefore { get; init; }
    /// <summary>The earliest expiry among the certificates the server sent.</summary>
    public DateTimeOffset? ChainNotAfter { get; init; }
    /// <summary>The leaf's serial number (hex).</summary>
    public string? Serial { get; init; }
    /// <summary>Whether the chain verified under the target's roots and profile (the host name aside).</summary>
    public bool? Trusted { get; init; }
    /// <summary>Why the chain did not verify, as the verifier's sentence.</summary>
    public string? UntrustedReason { get; init; }
    /// <summary>The same as a bounded word (the alert the verifier chose: <c>unknown_ca</c>, <c>certificate_expired</c>, …).</summary>
    public string? UntrustedKind { get; init; }
    /// <summary>Whether the leaf is for the target's host name.</summary>
    public bool? NameMatches { get; init; }
    /// <summary>The stapled OCSP response's facts; null when nothing was stapled.</summary>
    public StapleFacts? Staple { get; init; }

    /// <summary>The leaf as DER (for the renewalInfo question); null when no certificate arrived.</summary>
    internal byte[]? LeafDer { get; init; }

    /// <summary>True when the handshake completed.</summary>
    public bool Success => Error is null;
}
