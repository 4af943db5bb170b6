using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;

namespace Tessera.Pki;

/// <summary>
/// A CA certificate and its key, in memory: makes roots and intermediates, and issues leaves with the one profile Tessera
/// issues everywhere — the subject CN a copy of the first name, every name in the SAN (DNS, IP, email), basicConstraints
/// cA false, keyUsage digitalSignature (and keyEncipherment for RSA), one EKU (serverAuth or clientAuth), key
/// identifiers both ways, a positive 16-byte serial — so what it issues passes the WebPki profile and breaks no issuance
/// rule (<see cref="IssuanceLint"/>). <see cref="LocalCa"/> keeps one on disk; the demo, samples, benchmarks and tests
/// make throw-away ones.
/// </summary>
public sealed class CertificateIssuer : IDisposable
{
    private CertificateIssuer(X509Certificate2 certificate, CaKey key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>
    /// The OCSP responder (an http URL) named in the Authority Information Access of every leaf issued from now on, so
    /// relying parties and stapling servers know where to ask (RFC 5280 §4.2.2.1); null, the default: none.
    /// </summary>
    public Uri? OcspResponder { get; set; }

    /// <summary>
    /// The CRL distribution point (an http or https URL where this CA's CRL is served) named in every leaf issued from
    /// now on (RFC 5280 §4.2.1.13), so relying parties and scanners can check revocation; null, the default: none.
    /// </summary>
    public Uri? CrlDistributionPoint { get; set; }

    /// <summary>
    /// The clock that dates what this CA issues from now on (validity starts five minutes before its "now", for peers'
    /// clock skew); the system clock unless a test or a reproducible build fixes it. Intermediates inherit it.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// The randomness serial numbers are drawn from (and the keys <see cref="Issue"/> makes are not: those always come
    /// from the system); the system's unless fixed for reproducible bytes. Intermediates inherit it.
    /// </summary>
    public RandomNumberGenerator Random { get; set; } = SystemRandom;

    private static readonly RandomNumberGenerator SystemRandom = RandomNumberGenerator.Create();

    /// <summary>The CA's certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's key.</summary>
    public CaKey Key { get; }

    /// <summary>A self-signed root named "CN=<paramref name="name"/>".</summary>
    /// <param name="name">The common name.</param>
    /// <param name="keyType">The key's type.</param>
    /// <param name="notAfter">Its end of validity.</param>
    /// <param name="pathLength">How many intermediates may follow it (null: no limit).</param>
    public static CertificateIssuer CreateRoot(string name, KeyType keyType, DateTimeOffset notAfter, int? pathLength = 1) =>
        CreateRoot(name, CaKey.Create(keyType), notAfter, pathLength);

    /// <summary>
    /// A self-signed root named "CN=<paramref name="name"/>" with an existing <paramref name="key"/> (the issuer owns it
    /// from now on), dated by <paramref name="clock"/> and numbered from <paramref name="random"/> (the system's when null),
    /// which the issuer keeps for what it issues next.
    /// </summary>
    public static CertificateIssuer CreateRoot(string name, CaKey key, DateTimeOffset notAfter, int? pathLength = 1,
        TimeProvider? clock = null, RandomNumberGenerator? random = null)
    {
        clock ??= TimeProvider.System;
        random ??= SystemRandom;
        var request = CaRequest(key, name, pathLength);
        var certificate = request.Create(request.SubjectName, key.Signer, clock.GetUtcNow().AddMinutes(-5), notAfter, Serial(random));
        return new CertificateIssuer(certificate, key) { Clock = clock, Random = random };
    }

    /// <summary>An intermediate CA named "CN=<paramref name="name"/>" under this one (never past this CA's own validity).</summary>
    public CertificateIssuer CreateIntermediate(string name, KeyType keyType, DateTimeOffset notAfter, int? pathLength = 0)
    {
        var key = CaKey.Create(keyType);
        var request = CaRequest(key, name, pathLength);
        return new CertificateIssuer(Sign(request, notAfter), key) { Clock = Clock, Random = Random };
    }

    /// <summary>An issuer from a CA certificate and its key as files hold them (PEM).</summary>
    /// <exception cref="PkiException">The certificate or key does not load.</exception>
    public static CertificateIssuer FromPem(string certificatePem, string keyPem)
    {
        try
        {
            return new CertificateIssuer(X509Certificate2.CreateFromPem(certificatePem), CaKey.Load(keyPem));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException or System.Formats.Asn1.AsnContentException)
        {
            throw new PkiException(PkiFailure.Files, $"the CA certificate or key does not load: {e.Message}", e);
        }
    }

    /// <summary>Issues a leaf with a new key of <paramref name="keyType"/> for <paramref name="names"/> (DNS names, IP addresses, email addresses).</summary>
    /// <param name="names">The names; the first is also the subject CN unless <paramref name="subject"/> is given.</param>
    /// <param name="client">clientAuth rather than serverAuth.</param>
    /// <param name="notAfter">End of validity (never past this CA's).</param>
    /// <param name="keyType">The new key's type.</param>
    /// <param name="subject">Another subject, for a client certificate that names a person ("CN=alice").</param>
    /// <exception cref="PkiException">No names.</exception>
    public IssuedCertificate Issue(IReadOnlyList<string> names, bool client, DateTimeOffset notAfter, KeyType keyType, string? subject = null)
    {
        if (names.Count == 0 && subject is null) throw new PkiException(PkiFailure.InvalidRequest, "name at least one DNS name, IP address or email address");
        var key = CaKey.Create(keyType);
        // The CN copies the first SAN exactly as the SAN prints it (BR §7.1.4.3): an IPv6 address in its RFC 5952 form.
        var request = key.Request(subject ?? $"CN={(IPAddress.TryParse(names[0], out var ip) ? ip.ToString() : names[0])}");
        AddLeafProfile(request, names, client, OcspResponder, CrlDistributionPoint);
        return new IssuedCertificate(Sign(request, notAfter), key);
    }

    /// <summary>Signs <paramref name="request"/> as a leaf for <paramref name="names"/> with this CA's leaf profile, keeping its subject and key.</summary>
    public X509Certificate2 SignLeaf(CertificateRequest request, IReadOnlyList<string> names, bool client, DateTimeOffset notAfter)
    {
        AddLeafProfile(request, names, client, OcspResponder, CrlDistributionPoint);
        return Sign(request, notAfter);
    }

    /// <summary>This CA's certificate as PEM, followed by a newline.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>The extensions every leaf gets (see the type's summary).</summary>
    private static void AddLeafProfile(CertificateRequest request, IReadOnlyList<string> names, bool client, Uri? ocspResponder, Uri? crl)
    {
        if (names.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var n in names)
            {
                if (IPAddress.TryParse(n, out var ip)) san.AddIpAddress(ip);
                else if (n.Contains('@', StringComparison.Ordinal)) san.AddEmailAddress(n);
                else san.AddDnsName(n);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (request.PublicKey.Oid.Value == "1.2.840.113549.1.1.1" ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.None), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (ocspResponder is not null) request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspResponder.AbsoluteUri], null));
        if (crl is not null) request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crl.AbsoluteUri]));
    }

    private static CertificateRequest CaRequest(CaKey key, string name, int? pathLength)
    {
        var request = key.Request($"CN={name}");
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var end = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        return request.Create(Certificate.SubjectName, Key.Signer, Clock.GetUtcNow().AddMinutes(-5), notAfter < end ? notAfter : end, Serial(Random));
    }

    private static byte[] Serial(RandomNumberGenerator random)
    {
        var serial = new byte[16];
        random.GetBytes(serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;   // positive and of full length, as RFC 5280 §4.1.2.2 wants
        return serial;
    }

    /// <summary>Disposes the key and the certificate.</summary>
    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
