namespace Tessera.Scan;

/// <summary>The chain a server sent for one ClientHello (with or without SNI), and what the verifier made of it.</summary>
public sealed record ChainReport
{
    /// <summary>The server_name sent, or null for a hello without SNI.</summary>
    public required string? Sni { get; init; }
    /// <summary>Where the chain was read: a TLS 1.3 handshake run by Tessera, or a TLS 1.2 (or older) server flight.</summary>
    public required string Source { get; init; }
    /// <summary>The certificates in the order the server sent them, leaf first.</summary>
    public required List<CertificateFacts> Certificates { get; init; }
    /// <summary>The stapled OCSP response, or null when none came.</summary>
    public StapleFacts? Staple { get; init; }
    /// <summary>The leaf names the host scanned (RFC 6125 / RFC 9525 matching, as Tessera's client does).</summary>
    public required bool NameMatches { get; init; }
    /// <summary>The name the leaf was checked against.</summary>
    public required string Host { get; init; }
    /// <summary>Trust under each verifier profile, the host name left out (it is <see cref="NameMatches"/>).</summary>
    public required List<ProfileVerdict> Verdicts { get; init; }

    /// <summary>Whether the leaf had expired at <paramref name="now"/>.</summary>
    public bool Expired(DateTimeOffset now) => Certificates.Count > 0 && Certificates[0].NotAfter < now;
    /// <summary>Whether the leaf was not yet valid at <paramref name="now"/>.</summary>
    public bool NotYetValid(DateTimeOffset now) => Certificates.Count > 0 && Certificates[0].NotBefore > now;
    /// <summary>The verdict under one profile ("webpki", "rfc5280"), or null when it was not asked.</summary>
    public ProfileVerdict? Verdict(string profile) => Verdicts.Find(v => v.Profile == profile);

    /// <summary>Whether <paramref name="other"/> has the same leaf (by SHA-256) and as many certificates: the same chain, for a report that says so once.</summary>
    public bool HasSameLeafAs(ChainReport other) =>
        Certificates.Count > 0 && other.Certificates.Count > 0 && Certificates[0].Sha256 == other.Certificates[0].Sha256 && Certificates.Count == other.Certificates.Count;
}

/// <summary>The verifier's answer under one profile: trusted, or the one sentence that says why not.</summary>
/// <param name="Profile">The verifier profile's name.</param>
/// <param name="Trusted">Whether the chain verified under it.</param>
/// <param name="Problem">Why not, in the verifier's sentence; null when trusted.</param>
public sealed record ProfileVerdict(string Profile, bool Trusted, string? Problem);
