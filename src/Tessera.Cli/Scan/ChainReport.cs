namespace Tessera.Cli.Scan;

/// <summary>The chain a server sent for one ClientHello (with or without SNI), and what the verifier made of it.</summary>
internal sealed record ChainReport
{
    /// <summary>The server_name sent, or null for a hello without SNI.</summary>
    public required string? Sni { get; init; }
    /// <summary>Where the chain was read: a TLS 1.3 handshake run by Tessera, or a TLS 1.2 (or older) server flight.</summary>
    public required string Source { get; init; }
    public required List<CertificateFacts> Certificates { get; init; }
    public StapleFacts? Staple { get; init; }
    /// <summary>The leaf names the host scanned (RFC 6125 / RFC 9525 matching, as Tessera's client does).</summary>
    public required bool NameMatches { get; init; }
    public required string Host { get; init; }
    /// <summary>Trust under each verifier profile, the host name left out (it is <see cref="NameMatches"/>).</summary>
    public required List<ProfileVerdict> Verdicts { get; init; }

    public bool Expired(DateTimeOffset now) => Certificates.Count > 0 && Certificates[0].NotAfter < now;
    public bool NotYetValid(DateTimeOffset now) => Certificates.Count > 0 && Certificates[0].NotBefore > now;
    public ProfileVerdict? Verdict(string profile) => Verdicts.Find(v => v.Profile == profile);
}

/// <summary>The verifier's answer under one profile: trusted, or the one sentence that says why not.</summary>
internal sealed record ProfileVerdict(string Profile, bool Trusted, string? Problem);
