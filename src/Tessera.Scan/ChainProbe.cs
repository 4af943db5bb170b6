using System.Net;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Gets the certificate chain a server sends, with and without SNI, and has Tessera's verifier judge it under both
/// profiles. A TLS 1.3 server is asked with a real Tessera handshake (its Certificate is encrypted); an older one is
/// read from the ServerHello flight, which carries Certificate and CertificateStatus in the clear.
/// </summary>
internal sealed class ChainProbe(ScanOptions options, IPEndPoint endpoint, Prober prober)
{
    public async Task<ChainReport?> GetAsync(string? sni, ProtocolVersion best, CancellationToken cancellationToken)
    {
        var obtained = best == ProtocolVersion.Tls13
            ? await ViaTls13Async(sni, cancellationToken)
            : await ViaFlightAsync(sni, best, cancellationToken);
        return obtained is null ? null : Judge(sni, obtained.Value.Source, obtained.Value.Chain, obtained.Value.Ocsp);
    }

    private async Task<(string Source, List<X509Certificate2> Chain, byte[]? Ocsp)?> ViaTls13Async(string? sni, CancellationToken cancellationToken)
    {
        var capture = new CapturingVerifier();
        var tlsOptions = new TlsClientOptions
        {
            MinVersion = ProtocolVersion.Tls13,
            MaxVersion = ProtocolVersion.Tls13,
            CertificateVerifier = capture,
            SendServerNameIndication = sni is not null,
            RequestOcspStapling = true,
            HandshakeTimeout = options.ProbeTimeout,
            SessionStore = null,
        };
        // The chain may arrive even when the handshake then fails (a client certificate demanded, say): the capture keeps it.
        await ScanConnection.RunAsync(options, endpoint, tlsOptions, [], null, cancellationToken);
        return capture.Chain is null ? null : ("TLS 1.3 handshake", capture.Chain, capture.Ocsp);
    }

    private async Task<(string Source, List<X509Certificate2> Chain, byte[]? Ocsp)?> ViaFlightAsync(string? sni, ProtocolVersion version, CancellationToken cancellationToken)
    {
        var hello = new ProbeHello { Version = version, Suites = CipherSuiteRegistry.IdsFor(version), ServerName = sni };
        var reply = await prober.SendAsync(hello.Encode(), cancellationToken);
        if (reply.Find(HandshakeType.Certificate) is not { } message) return null;
        List<X509Certificate2> chain;
        try
        {
            var decoded = Certificate12.Decode(message.Body);
            chain = new List<X509Certificate2>(decoded.Entries.Count);
            foreach (var entry in decoded.Entries) chain.Add(X509CertificateLoader.LoadCertificate(entry.CertData));
        }
        catch (Exception e) when (e is TlsException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        byte[]? ocsp = null;
        if (reply.Find(HandshakeType.CertificateStatus) is { } status && status.Body.Length > 4 && status.Body[0] == 1)
        {
            // RFC 6066 §8: CertificateStatus { status_type ocsp(1); opaque OCSPResponse<1..2^24-1> }
            var length = status.Body[1] << 16 | status.Body[2] << 8 | status.Body[3];
            if (status.Body.Length == 4 + length) ocsp = status.Body[4..].ToArray();
        }
        return ($"{TlsNames.OfVersion((ushort)version)} server flight", chain, ocsp);
    }

    private ChainReport Judge(string? sni, string source, List<X509Certificate2> chain, byte[]? ocsp)
    {
        var host = options.ServerName ?? options.Target.Host;
        var facts = new List<CertificateFacts>(chain.Count);
        foreach (var c in chain) facts.Add(CertificateFacts.Of(c));
        var verdicts = new List<ProfileVerdict>(2);
        foreach (var (name, profile) in new[] { ("webpki", VerificationProfile.WebPki), ("rfc5280", VerificationProfile.Rfc5280) })
        {
            var verifier = new TesseraCertificateVerifier(options.Trust, RevocationMode.SoftFail, profile: profile);
            try
            {
                // The host name is left out: a wrong name is its own finding (SSL Labs' "M"), not a trust failure.
                verifier.Verify(new CertificateVerificationRequest(chain, null, CertificatePurpose.ServerAuthentication, options.Now(), ocsp));
                verdicts.Add(new ProfileVerdict(name, true, null));
            }
            catch (TlsException e)
            {
                verdicts.Add(new ProfileVerdict(name, false, e.Message));
            }
        }
        var matches = chain.Count > 0 && HostnameMatcher.Matches(chain[0], host, out _);
        return new ChainReport
        {
            Sni = sni,
            Source = source,
            Certificates = facts,
            Staple = ocsp is null ? null : StapleFacts.Read(ocsp),
            NameMatches = matches,
            Host = host,
            Verdicts = verdicts,
        };
    }

    /// <summary>Keeps what the server sent and lets the handshake go on: the scan judges the chain itself, twice.</summary>
    private sealed class CapturingVerifier : ICertificateVerifier
    {
        public List<X509Certificate2>? Chain { get; private set; }
        public byte[]? Ocsp { get; private set; }

        public void Verify(CertificateVerificationRequest request)
        {
            var chain = new List<X509Certificate2>(request.Chain.Count);
            foreach (var c in request.Chain) chain.Add(X509CertificateLoader.LoadCertificate(c.RawData));
            Chain = chain;
            Ocsp = request.OcspResponse;
        }
    }
}
