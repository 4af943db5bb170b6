using System.Globalization;
using System.Net;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Signature schemes, HelloRetryRequest behaviour and record_size_limit. TLS 1.2 is read from clear ServerHello
/// flights (the ServerKeyExchange names its signature scheme); TLS 1.3 hides both in encrypted messages, so those are
/// Tessera handshakes — which means only the schemes Tessera can verify are asked about at TLS 1.3.
/// </summary>
internal sealed class HandshakeFeatureProbe(ScanOptions options, IPEndPoint endpoint, Prober prober)
{
    /// <summary>RFC 8449 §4: the largest limit a TLS 1.3 endpoint may announce is 2^14 + 1.</summary>
    private const ushort OfferedLimit = 16385;

    public async Task<HandshakeFeatures> RunAsync(ScanReport report, CancellationToken cancellationToken)
    {
        var schemes = new List<(ProtocolVersion, List<string>)>();
        ushort? rsl12 = null, rsl13 = null;
        List<string>? compression = null;
        string? retryGroup = null;
        bool? cookie = null, retryForPreferred = null;
        if (report.SuitesFor(ProtocolVersion.Tls12) is { } tls12)
        {
            var fs = new List<ushort>();
            foreach (var a in tls12.Accepted)
                if (a.Info.KeyExchange is "ECDH" or "DH") fs.Add(a.Info.Id);
            if (fs.Count > 0) schemes.Add((ProtocolVersion.Tls12, await Tls12SchemesAsync(fs, cancellationToken)));
            var all = new List<ushort>();
            foreach (var a in tls12.Accepted) all.Add(a.Info.Id);
            var reply = await prober.SendAsync(Hello(ProtocolVersion.Tls12, all, OfferedLimit).Encode(), cancellationToken);
            if (reply.Hello is not null && TlsExtension.Find(reply.Hello.Extensions, ExtensionType.RecordSizeLimit) is { Length: 2 } body)
                rsl12 = (ushort)(body[0] << 8 | body[1]);
        }
        if (report.SuitesFor(ProtocolVersion.Tls13) is { } tls13)
        {
            schemes.Add((ProtocolVersion.Tls13, await Tls13SchemesAsync(cancellationToken)));
            var suites = new List<ushort>();
            foreach (var a in tls13.Accepted) suites.Add(a.Info.Id);
            var retry = await prober.SendAsync((Hello(ProtocolVersion.Tls13, suites) with { KeyShareGroups = [] }).Encode(), cancellationToken);
            if (retry.Outcome == ProbeOutcome.HelloRetryRequest)
            {
                var share = TlsExtension.Find(retry.Hello!.Extensions, ExtensionType.KeyShare);
                retryGroup = share is { Length: 2 } ? NamedGroupRegistry.NameOf((ushort)(share[0] << 8 | share[1])) : null;
                cookie = retry.HasExtension(ExtensionType.Cookie);
            }
            if (report.Groups.Exists(g => g.Version == ProtocolVersion.Tls13 && g.Accepted.Exists(a => a.Id == (ushort)NamedGroup.X25519) && g.Accepted.Exists(a => a.Id == (ushort)NamedGroup.Secp256r1)))
            {
                var preferred = Hello(ProtocolVersion.Tls13, suites) with
                {
                    Groups = [(ushort)NamedGroup.Secp256r1, (ushort)NamedGroup.X25519],
                    KeyShareGroups = [(ushort)NamedGroup.X25519],
                };
                var answer = await prober.SendAsync(preferred.Encode(), cancellationToken);
                if (answer.IsHello) retryForPreferred = answer.Outcome == ProbeOutcome.HelloRetryRequest;
            }
            rsl13 = await Tls13RecordSizeLimitAsync(cancellationToken);
            compression = await CertificateCompressionAsync(cancellationToken);
        }
        return new HandshakeFeatures
        {
            SignatureSchemes = schemes,
            RetryGroup = retryGroup,
            RetryCookie = cookie,
            RetryForPreferredGroup = retryForPreferred,
            RecordSizeLimitTls12 = rsl12,
            RecordSizeLimitTls13 = rsl13,
            CertificateCompression = compression,
        };
    }

    private ProbeHello Hello(ProtocolVersion version, IReadOnlyList<ushort> suites, ushort? recordSizeLimit = null) => new()
    {
        Version = version,
        Suites = suites,
        ServerName = options.ServerName,
        RecordSizeLimit = recordSizeLimit,
    };

    /// <summary>One scheme per hello, forward-secret suites only, so the ServerKeyExchange is signed with it or the hello fails.</summary>
    private async Task<List<string>> Tls12SchemesAsync(List<ushort> suites, CancellationToken cancellationToken)
    {
        var tasks = new List<(ushort, Task<ProbeReply>)>();
        foreach (var scheme in ProbeHello.AllSignatureSchemes)
            tasks.Add((scheme, prober.SendAsync((Hello(ProtocolVersion.Tls12, suites) with { SignatureSchemes = [scheme] }).Encode(), cancellationToken)));
        var accepted = new List<string>();
        foreach (var (scheme, task) in tasks)
        {
            var reply = await task;
            if (!reply.IsHello || reply.Find(HandshakeType.ServerKeyExchange) is not { } ske) continue;
            var suite = CipherSuiteRegistry.Find(reply.Suite);
            if (suite is not null && SignatureOf(ske.Body, suite.KeyExchange == "ECDH") == scheme) accepted.Add(SchemeName(scheme));
        }
        return accepted;
    }

    /// <summary>TLS 1.2's SignatureAndHashAlgorithm pairs that TLS 1.3 never named (SHA-224, DSA), by RFC 5246 §7.4.1.4.1's parts.</summary>
    private static string SchemeName(ushort scheme) => scheme switch
    {
        0x0301 => "rsa_pkcs1_sha224",
        0x0302 => "dsa_sha224",
        0x0303 => "ecdsa_sha224",
        0x0202 => "dsa_sha1",
        _ => TlsNames.Of((SignatureScheme)scheme),
    };

    /// <summary>RFC 5246 §7.4.3 / RFC 8422 §5.4: the parameters, then the SignatureAndHashAlgorithm of the signature.</summary>
    private static ushort? SignatureOf(ReadOnlySpan<byte> body, bool ecdhe)
    {
        var r = new TlsReader(body);
        try
        {
            if (ecdhe)
            {
                if (r.ReadUInt8() != 3) return null;   // named_curve
                r.ReadUInt16();
                r.ReadVector8();
            }
            else
            {
                r.ReadVector16();
                r.ReadVector16();
                r.ReadVector16();
            }
            return r.ReadUInt16();
        }
        catch (TlsException)
        {
            return null;   // a ServerKeyExchange that does not parse names no scheme
        }
    }

    private async Task<List<string>> Tls13SchemesAsync(CancellationToken cancellationToken)
    {
        var accepted = new List<string>();
        foreach (var scheme in SignatureSchemes.DefaultTls13)
        {
            // One at a time: single-threaded servers serve one connection at a time.
            var attempt = await ScanConnection.RunAsync(options, endpoint, Options() with { SignatureSchemes = [scheme] }, [], null, cancellationToken);
            if (attempt.Connection?.PeerSignatureScheme == scheme) accepted.Add(TlsNames.Of(scheme));
        }
        return accepted;
    }

    /// <summary>RFC 8879: one algorithm offered per handshake; the certificate arrives compressed with it, or plain.</summary>
    private async Task<List<string>> CertificateCompressionAsync(CancellationToken cancellationToken)
    {
        var supported = new List<string>();
        foreach (var algorithm in new[] { CertificateCompressionAlgorithm.Brotli, CertificateCompressionAlgorithm.Zlib })
        {
            var attempt = await ScanConnection.RunAsync(options, endpoint, Options() with { CertificateCompression = [algorithm] }, [], null, cancellationToken);
            if (attempt.Connection?.ReceivedCertificateCompression?.Algorithm == algorithm) supported.Add(TlsNames.Of(algorithm));
        }
        return supported;
    }

    /// <summary>TLS 1.3 answers record_size_limit in EncryptedExtensions, which the handshake trace decodes.</summary>
    private async Task<ushort?> Tls13RecordSizeLimitAsync(CancellationToken cancellationToken)
    {
        var attempt = await ScanConnection.RunAsync(options, endpoint, Options() with { RecordSizeLimit = OfferedLimit, RecordHandshakeEvents = true }, [], null, cancellationToken);
        if (attempt.Connection is null) return null;
        foreach (var e in attempt.Connection.HandshakeEvents)
        {
            if (e.MessageType != HandshakeType.EncryptedExtensions) continue;
            foreach (var f in e.Fields)
                if (f.Key == "record_size_limit" && ushort.TryParse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)) return limit;
        }
        return null;
    }

    private TlsClientOptions Options() => new()
    {
        MinVersion = ProtocolVersion.Tls13,
        MaxVersion = ProtocolVersion.Tls13,
        CertificateVerifier = ResumptionProbe.AcceptAnyChain.Instance,
        SendServerNameIndication = options.ServerName is { } name && !IPAddress.TryParse(name, out _),
        SessionStore = null,
        HandshakeTimeout = options.ProbeTimeout,
    };
}
