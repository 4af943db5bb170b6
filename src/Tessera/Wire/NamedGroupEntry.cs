namespace Tessera.Wire;

/// <summary>
/// One row of the TLS Supported Groups registry as Tessera knows it (<see cref="NamedGroupRegistry"/>; RFC 8446 §4.2.7,
/// RFC 8422, RFC 7919, and the hybrid ML-KEM draft): its names and what a grade judges it by.
/// </summary>
/// <param name="Id">The IANA code point.</param>
/// <param name="Name">The IANA name, which sslscan prints too (secp256r1, x25519, ffdhe2048, X25519MLKEM768).</param>
/// <param name="Bits">Estimated security in bits, as sslscan prints it.</param>
/// <param name="IsFiniteField">An RFC 7919 group: in TLS 1.2 these go with DHE suites, not ECDHE.</param>
/// <param name="IsPostQuantum">A hybrid with a post-quantum KEM (X25519MLKEM768).</param>
/// <param name="InTls12">Defined for TLS 1.2 ECDHE (RFC 8422); TLS 1.3-only groups (ffdhe here, brainpool…tls13, hybrids) are not.</param>
public sealed record NamedGroupEntry(ushort Id, string Name, int Bits, bool IsFiniteField, bool InTls12, bool IsPostQuantum = false)
{
    /// <summary>OpenSSL's name where it differs (prime256v1, X25519); otherwise the IANA name.</summary>
    public string OpenSslName { get; init; } = Name;

    /// <summary>Other names people type for it ("p256", "mlkem768"), matched as <see cref="TlsNames"/> parses.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
