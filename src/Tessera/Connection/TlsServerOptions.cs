using Tessera.Certificates;
using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>Server settings.</summary>
public sealed record TlsServerOptions : TlsOptions
{
    /// <summary>
    /// Server defaults: the client's defaults (X25519MLKEM768, X25519, P-256, P-384) in that preference, then X448
    /// and P-521, which some peers and conformance suites send alone and which OpenSSL accepts; a client offering
    /// any of the first four still gets one of them. The server takes the most preferred group the client sent a
    /// share for, so a client that offers the hybrid with a share gets it, and one without it gets X25519 in one
    /// round trip.
    /// </summary>
    public TlsServerOptions()
    {
        Groups = [NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.X448, NamedGroup.Secp521r1];
    }

    /// <summary>Certificates to serve; chosen by SNI against their DNS names, the first is the default.</summary>
    public IReadOnlyList<TlsCredential> Certificates { get; init; } = [];

    /// <summary>Chooses the certificate for a ClientHello; overrides <see cref="Certificates"/> when it returns non-null.</summary>
    public Func<ServerCertificateSelectionContext, TlsCredential?>? CertificateSelector { get; init; }

    /// <summary>Use the server's order of cipher suites rather than the client's.</summary>
    public bool PreferServerCipherSuiteOrder { get; init; } = true;

    /// <summary>Choose ChaCha20-Poly1305 when the client lists it first (clients without AES hardware do).</summary>
    public bool PreferChaCha20WhenClientDoes { get; init; } = true;

    /// <summary>
    /// When true, the server insists on its most preferred common group and sends a HelloRetryRequest when the
    /// client sent no share for it. When false (default) any common group the client already sent a share for is used.
    /// </summary>
    public bool HelloRetryForPreferredGroup { get; init; }

    /// <summary>Whether the server asks for a client certificate, and whether it must get one (mutual TLS).</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.None;

    /// <summary>Roots for client certificates; required when <see cref="ClientCertificateMode"/> is not None unless a verifier is set.</summary>
    public TrustStore? ClientTrustStore { get; init; }

    /// <summary>Judges client certificates instead of Tessera's verifier over <see cref="ClientTrustStore"/>.</summary>
    public ICertificateVerifier? ClientCertificateVerifier { get; init; }

    /// <summary>
    /// Seals session state into tickets (TLS 1.3 NewSessionTicket). Each options object starts with its own key
    /// ring rotating every 12 hours; share a <see cref="Resumption.TicketKeyRing"/> loaded from a file across
    /// servers, or use a <see cref="Resumption.ServerSessionCache"/> for stateful tickets. Null turns resumption off.
    /// </summary>
    public Resumption.ITicketProtector? TicketProtector { get; init; } = new Resumption.TicketKeyRing(TimeSpan.FromHours(12));

    /// <summary>TLS 1.2 session-ID resumption: sessions kept on this server (bounded, single-use). Null turns it off.</summary>
    public Resumption.IServerSessionStore? SessionIdCache { get; init; } = new Resumption.ServerSessionCache(10_000);

    /// <summary>
    /// NewSessionTicket messages sent after each full TLS 1.3 handshake (RFC 8446 §4.6.1); after a resumed one, at most
    /// one (the client spent one ticket; OpenSSL does the same). 0 issues none.
    /// </summary>
    public int TicketCount { get; init; } = 2;

    /// <summary>How long a ticket may be used (at most 7 days, RFC 8446 §4.6.1).</summary>
    public TimeSpan TicketLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long a client's view of a ticket's age may differ from the server's before the ticket is refused.</summary>
    public TimeSpan TicketAgeTolerance { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tickets already used for 0-RTT, so each carries early data at most once (RFC 8446 §8.1); null disables the check.</summary>
    public Resumption.IAntiReplayStore? AntiReplay { get; init; } = new Resumption.InMemoryAntiReplayStore();

    /// <summary>
    /// Largest 0-RTT early data accepted per connection; 0 (the default) never accepts early data. Early data can be
    /// replayed by an attacker within the freshness window, so only enable it for requests that are safe to repeat.
    /// </summary>
    public uint MaxEarlyData { get; init; }

    /// <summary>Per-connection decision on early data once every protocol check has passed (server name, ALPN); null accepts.</summary>
    public Func<EarlyDataRequest, bool>? AcceptEarlyData { get; init; }

    /// <summary>How caller-supplied CRLs are used for client certificates (clients do not staple).</summary>
    public RevocationMode ClientRevocation { get; init; } = RevocationMode.SoftFail;

    /// <summary>CRLs checked against client certificate chains.</summary>
    public IReadOnlyList<CertificateRevocationList> ClientCertificateRevocationLists { get; init; } = [];

    /// <summary>
    /// The rules client chains are held to: <see cref="VerificationProfile.Rfc5280"/> by default (client certificates
    /// come from private PKIs the Baseline Requirements do not govern). Ignored when <see cref="ClientCertificateVerifier"/> is set.
    /// </summary>
    public VerificationProfile ClientCertificateProfile { get; init; } = VerificationProfile.Rfc5280;

    internal ICertificateVerifier ResolveClientVerifier() =>
        ClientCertificateVerifier ?? new TesseraCertificateVerifier(
            ClientTrustStore ?? throw new InvalidOperationException("client certificates are requested but no ClientTrustStore or ClientCertificateVerifier is set"),
            ClientRevocation, ClientCertificateRevocationLists, ClientCertificateProfile);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Certificates.Count == 0 && CertificateSelector is null)
            throw new ArgumentException("a server needs at least one certificate (Certificates or CertificateSelector)");
    }
}
