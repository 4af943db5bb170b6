using System.Net;
using Tessera.Pki;

namespace Tessera.Acme.Server;

/// <summary>How an <see cref="AcmeServer"/> runs: its CA, profiles, validation network and limits.</summary>
public sealed class AcmeServerOptions
{
    /// <summary>The CA that signs what the server issues and whose CRL revocations feed.</summary>
    public required LocalCa Ca { get; init; }

    /// <summary>The profiles offered; the first is the default for orders that name none.</summary>
    public IReadOnlyList<AcmeProfile> Profiles { get; init; } = [AcmeProfile.Classic(), AcmeProfile.ShortLived()];

    /// <summary>The resolver validations use for A/AAAA and TXT (dns-01) lookups; null: the system's resolver for addresses, and dns-01 is not offered.</summary>
    public IPEndPoint? DnsResolver { get; init; }

    /// <summary>Names resolved without DNS (a hosts map, checked first): name → address.</summary>
    public IReadOnlyDictionary<string, IPAddress> Hosts { get; init; } = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The port http-01 validation connects to (80 on the public web).</summary>
    public int HttpPort { get; init; } = 80;

    /// <summary>The port tls-alpn-01 validation connects to (443 on the public web).</summary>
    public int TlsPort { get; init; } = 443;

    /// <summary>How long one validation may take, connection and answer together.</summary>
    public TimeSpan ValidationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a valid authorization is reused for new orders of the same account (Boulder: 30 days).</summary>
    public TimeSpan AuthorizationReuse { get; init; } = TimeSpan.FromDays(30);

    /// <summary>New orders one account may place per <see cref="RateWindow"/>.</summary>
    public int OrdersPerAccount { get; init; } = 300;

    /// <summary>Certificates issued for one identifier per <see cref="RateWindow"/>.</summary>
    public int CertificatesPerIdentifier { get; init; } = 50;

    /// <summary>The window both limits count in.</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Whether new accounts must carry an External Account Binding; also true whenever the CA has EAB keys.</summary>
    public bool RequireExternalAccountBinding { get; init; }

    /// <summary>
    /// A plain-HTTP endpoint that serves only the CRL (relying parties fetch CRLs over http: an https CRL would need
    /// revocation checking of its own server's certificate); null: the CRL is served on the ACME HTTPS endpoint only.
    /// </summary>
    public IPEndPoint? CrlListen { get; init; }

    /// <summary>How long renewalInfo asks clients to wait before asking again (RFC 9773 §4.3: Retry-After); six hours, as Let's Encrypt says.</summary>
    public TimeSpan RenewalInfoRetryAfter { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The clock: validity, expiries, renewal windows and rate limits.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where each event worth an operator's attention goes (accounts, orders, validations, issuance, revocation); peer text in it is already cleaned.</summary>
    public Action<string>? Log { get; init; }
}
