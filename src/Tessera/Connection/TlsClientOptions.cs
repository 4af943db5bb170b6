using Tessera.Certificates;
using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>Client settings. Verification is on by default against the system trust store.</summary>
public sealed record TlsClientOptions : TlsOptions
{
    /// <summary>
    /// Groups for which a key share is sent in the first ClientHello; a server that wants another costs a
    /// HelloRetryRequest. Null (the default) sends a share for the first of <see cref="TlsOptions.Groups"/>, and when
    /// that is X25519MLKEM768 one for X25519 beside it (if X25519 is in Groups), as Chromium does: a server without
    /// the hybrid then answers in one round trip too.
    /// </summary>
    public IReadOnlyList<NamedGroup>? KeyShareGroups { get; init; }

    /// <summary>The groups the first ClientHello carries shares for: <see cref="KeyShareGroups"/>, or the default described there.</summary>
    internal IReadOnlyList<NamedGroup> EffectiveKeyShareGroups()
    {
        if (KeyShareGroups is not null) return KeyShareGroups;
        var first = Groups[0];
        return first == NamedGroup.X25519MLKEM768 && Groups.Contains(NamedGroup.X25519) ? [first, NamedGroup.X25519] : [first];
    }

    /// <summary>Roots to trust; null means <see cref="TrustStore.System"/>. Ignored when <see cref="CertificateVerifier"/> is set.</summary>
    public TrustStore? TrustStore { get; init; }

    /// <summary>Replaces the default verifier. To skip verification you must say so: <see cref="InsecureSkipVerification"/>.</summary>
    public ICertificateVerifier? CertificateVerifier { get; init; }

    /// <summary>A certificate to present when the server asks for one.</summary>
    public TlsCredential? ClientCertificate { get; init; }

    /// <summary>Chooses a client certificate from the server's request; overrides <see cref="ClientCertificate"/>.</summary>
    public Func<ClientCertificateRequestInfo, TlsCredential?>? ClientCertificateSelector { get; init; }

    /// <summary>Send a legacy session ID and a ChangeCipherSpec so middleboxes see a TLS 1.2-like flow (RFC 8446 D.4).</summary>
    public bool MiddleboxCompatibility { get; init; } = true;

    /// <summary>Send server_name when the target is a DNS name (never for IP literals, RFC 6066 §3).</summary>
    public bool SendServerNameIndication { get; init; } = true;

    /// <summary>How stapled OCSP responses and <see cref="CertificateRevocationLists"/> are used (soft-fail by default; never fetched).</summary>
    public RevocationMode Revocation { get; init; } = RevocationMode.SoftFail;

    /// <summary>CRLs the application obtained itself, checked against the server's chain.</summary>
    public IReadOnlyList<CertificateRevocationList> CertificateRevocationLists { get; init; } = [];

    /// <summary>
    /// The rules the server's chain is held to: <see cref="VerificationProfile.WebPki"/> by default;
    /// <see cref="VerificationProfile.Rfc5280"/> for a private PKI outside the Baseline Requirements (Ed25519 keys, no EKU).
    /// Ignored when <see cref="CertificateVerifier"/> is set.
    /// </summary>
    public VerificationProfile CertificateProfile { get; init; } = VerificationProfile.WebPki;

    /// <summary>
    /// Where tickets are kept for resumption. Each options object starts with its own in-memory store, so
    /// connections made with the same options resume each other's sessions; null turns resumption off.
    /// </summary>
    public Resumption.IClientSessionStore? SessionStore { get; init; } = new Resumption.InMemoryClientSessionStore();

    /// <summary>
    /// Ask TLS 1.2 servers for session tickets (RFC 5077). False leaves the session_ticket extension out, so a TLS 1.2
    /// session is resumed by the server's session ID (RFC 5246 §7.4.1.2) instead; TLS 1.3 tickets are not affected.
    /// </summary>
    public bool RequestTls12SessionTickets { get; init; } = true;

    /// <summary>Ask the server to staple an OCSP response (status_request, RFC 6066 §8).</summary>
    public bool RequestOcspStapling { get; init; } = true;

    /// <summary>The configured verifier, or Tessera's own against the trust store (which keeps its parsed roots, so this is cheap).</summary>
    internal ICertificateVerifier ResolveVerifier() =>
        CertificateVerifier ?? new TesseraCertificateVerifier(TrustStore ?? TrustStore.System, Revocation, CertificateRevocationLists, CertificateProfile);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!Tls13Enabled) return;   // key shares are a TLS 1.3 thing
        foreach (var g in EffectiveKeyShareGroups())
            if (!Groups.Contains(g)) throw new ArgumentException($"key share group {TlsNames.Of(g)} is not in Groups");
    }
}
