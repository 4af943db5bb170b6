using Tessera.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Runs the probes of a scan and fills a <see cref="ScanReport"/>. Versions are probed in parallel; each version's
/// suites are found by offering everything left and striking out what the server picks, which also yields the
/// server's order when it imposes one; groups are asked one at a time.
/// </summary>
public sealed class Scanner(ScanOptions options, IProgress<string>? progress = null)
{
    /// <summary>RFC 8446 §4.1.3: the last eight bytes of a downgraded ServerHello.random.</summary>
    private static ReadOnlySpan<byte> DowngradeTls12 => "DOWNGRD\u0001"u8;

    /// <summary>
    /// Scans <paramref name="host"/>:<paramref name="port"/>: every probe, then the report (grade it with
    /// <see cref="Grader.Grade"/>). <paramref name="options"/> sets SNI, trust, concurrency and timeouts; its target is
    /// replaced by the one given here. Throws <see cref="ScanException"/> when the target cannot be scanned at all.
    /// </summary>
    public static Task<ScanReport> ScanAsync(string host, int port, ScanOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = new HostPort(host, port);
        return new Scanner(options is null ? new ScanOptions { Target = target } : options with { Target = target }, progress).RunAsync(cancellationToken);
    }

    /// <summary>Runs every probe and returns the report; throws <see cref="ScanException"/> when the target cannot be scanned at all.</summary>
    public async Task<ScanReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var endpoint = await ResolveAsync(cancellationToken);
        using var prober = new Prober(endpoint, options.Concurrency, options.ProbeTimeout);
        var report = new ScanReport
        {
            Target = options.Target.ToString(),
            Address = endpoint.ToString(),
            ServerName = options.ServerName,
            Started = started,
        };

        progress?.Report("protocol versions");
        var versionTasks = new Task<(VersionSupport, ProbeReply)>[ScanVersions.All.Length];
        for (var i = 0; i < versionTasks.Length; i++) versionTasks[i] = ProbeVersionAsync(prober, ScanVersions.All[i], cancellationToken);
        var versionReplies = new Dictionary<ProtocolVersion, ProbeReply>();
        foreach (var t in versionTasks)
        {
            var (support, reply) = await t;
            report.Versions.Add(support);
            versionReplies[support.Version] = reply;
        }
        if (report.Versions.TrueForAll(v => !v.Supported))
        {
            if (versionReplies.Values.All(r => r.Outcome == ProbeOutcome.NoConnection))
                throw new ScanException($"could not connect to {options.Target}: {versionReplies[ProtocolVersion.Tls12].Detail}");
            throw new ScanException($"{options.Target} accepted no SSL or TLS hello (TLS 1.2: {Describe(versionReplies[ProtocolVersion.Tls12])}; TLS 1.3: {Describe(versionReplies[ProtocolVersion.Tls13])})", ScanFailure.NoTls);
        }

        progress?.Report("cipher suites");
        var suiteTasks = new List<Task<VersionSuites>>();
        foreach (var v in report.Versions)
            if (v.Supported && v.Version != ScanVersions.Ssl20) suiteTasks.Add(EnumerateSuitesAsync(prober, v.Version, report, cancellationToken));
        foreach (var t in suiteTasks) report.Suites.Add(await t);

        progress?.Report("certificates");
        var best = Best(report);
        if (best != 0)
        {
            var chains = new ChainProbe(options, endpoint, prober);
            var withSni = options.ServerName is { } name && !IPAddress.TryParse(name, out _) ? chains.GetAsync(name, best, cancellationToken) : null;
            var withoutSni = chains.GetAsync(null, best, cancellationToken);
            if (withSni is not null && await withSni is { } named) report.Chains.Add(named);
            if (await withoutSni is { } anonymous) report.Chains.Add(anonymous);
        }

        progress?.Report("key exchange groups");
        if (report.Supports(ProtocolVersion.Tls13)) report.Groups.Add(await Tls13GroupsAsync(prober, cancellationToken));
        if (report.SuitesFor(ProtocolVersion.Tls12) is { } tls12 && EcdheSuites(tls12) is { Count: > 0 } ecdhe)
            report.Groups.Add(await Tls12GroupsAsync(prober, ecdhe, CertificateCurve(report), cancellationToken));

        progress?.Report("downgrade protection");
        await DowngradeAsync(prober, report, versionReplies, cancellationToken);
        Extensions(report, versionReplies);
        await LegacyFeaturesAsync(prober, report, cancellationToken);

        progress?.Report("signature schemes");
        if (report.Supports(ProtocolVersion.Tls13) || report.Supports(ProtocolVersion.Tls12))
            report.Handshake = await new HandshakeFeatureProbe(options, endpoint, prober).RunAsync(report, cancellationToken);

        progress?.Report("resumption and 0-RTT");
        var offers13 = report.Supports(ProtocolVersion.Tls13);
        var offers12 = report.Supports(ProtocolVersion.Tls12);
        if (offers13 || offers12)
        {
            // One after the other: single-threaded servers (openssl s_server) serve one connection at a time.
            report.Resumption = await new ResumptionProbe(options, endpoint).RunAsync(offers13, offers12, cancellationToken);
            report.Hsts = await HstsProbe.RunAsync(options, endpoint, offers13 ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12, cancellationToken);
        }

        report.Connections = prober.Connections;
        report.Elapsed = clock.Elapsed;
        return report;
    }

    private async Task<IPEndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(options.Target.Host, out var literal)) return new IPEndPoint(literal, options.Target.Port);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(options.Target.Host, cancellationToken);
            if (addresses.Length == 0) throw new ScanException($"{options.Target.Host} has no address");
            return new IPEndPoint(addresses[0], options.Target.Port);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ScanException($"could not resolve {options.Target.Host}: {SocketErrorText.Of(e)}");
        }
    }

    private ProbeHello Hello(ProtocolVersion version, IReadOnlyList<ushort> suites) => new()
    {
        Version = version,
        Suites = suites,
        ServerName = options.ServerName,
    };

    private async Task<(VersionSupport, ProbeReply)> ProbeVersionAsync(Prober prober, ProtocolVersion version, CancellationToken cancellationToken)
    {
        ProbeReply reply;
        if (version == ScanVersions.Ssl20)
        {
            reply = await prober.SendAsync(Ssl2ClientHello(), cancellationToken, sslv2: true);
            return (new VersionSupport(version, reply.Outcome == ProbeOutcome.Ssl2ServerHello, Describe(reply)), reply);
        }
        reply = await prober.SendAsync(Hello(version, CipherSuiteRegistry.IdsFor(version)).Encode(), cancellationToken);
        // A server that answers an older hello with a newer version breaks RFC 5246 Appendix E.1; that is not support either.
        var supported = reply.IsHello && reply.Version == (ushort)version;
        return (new VersionSupport(version, supported, Describe(reply)), reply);
    }

    private static string Describe(ProbeReply reply) => reply.Outcome switch
    {
        ProbeOutcome.ServerHello or ProbeOutcome.HelloRetryRequest => $"ServerHello {TlsNames.OfVersion(reply.Version)}",
        ProbeOutcome.Ssl2ServerHello => "SSL 2.0 SERVER-HELLO",
        ProbeOutcome.Alert => $"alert {TlsException.Describe(reply.Alert!.Value)}",
        ProbeOutcome.Closed => "connection closed",
        ProbeOutcome.TimedOut => "no answer",
        _ => reply.Detail ?? reply.Outcome.ToString(),
    };


    /// <summary>
    /// Offer every remaining suite; the one chosen is accepted and struck out; repeat until the server refuses. With
    /// server order the picks come out in the server's preference; a second hello with the list reversed tells which.
    /// </summary>
    private async Task<VersionSuites> EnumerateSuitesAsync(Prober prober, ProtocolVersion version, ScanReport report, CancellationToken cancellationToken)
    {
        var result = new VersionSuites(version);
        var remaining = CipherSuiteRegistry.IdsFor(version);
        while (remaining.Count > 0)
        {
            var reply = await prober.SendAsync(Hello(version, remaining).Encode(), cancellationToken);
            if (!reply.IsHello || reply.Version != (ushort)version) break;
            if (!remaining.Remove(reply.Suite))
            {
                lock (report.Anomalies)
                    report.Anomalies.Add($"{TlsNames.OfVersion((ushort)version)}: the server chose suite 0x{reply.Suite:x4}, which was not offered");
                break;
            }
            result.Accepted.Add(Accepted(CipherSuiteRegistry.Find(reply.Suite)!, reply));
        }
        if (result.Accepted.Count >= 2) await OrderAsync(prober, version, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// Whether the server imposes its order: the first and last of its picks, offered the other way round. ChaCha20
    /// suites are left out of that hello, because servers that prefer ChaCha20 when the client lists it first (for
    /// clients without AES hardware) would otherwise look like they follow the client.
    /// </summary>
    private async Task OrderAsync(Prober prober, ProtocolVersion version, VersionSuites result, CancellationToken cancellationToken)
    {
        var plain = new List<ushort>();
        var chacha = new List<ushort>();
        foreach (var a in result.Accepted) (a.Info.Encryption == "CHACHA20/POLY1305" ? chacha : plain).Add(a.Info.Id);
        var pair = plain.Count >= 2 ? plain : [result.Accepted[0].Info.Id, result.Accepted[^1].Info.Id];
        var check = await prober.SendAsync(Hello(version, [pair[^1], pair[0]]).Encode(), cancellationToken);
        if (!check.IsHello) return;
        result.ServerOrder = check.Suite == pair[0];
        if (result.ServerOrder != true || chacha.Count == 0 || plain.Count == 0 || chacha.Contains(result.Accepted[0].Info.Id)) return;
        // The server's favourite is not ChaCha20; does it still pick ChaCha20 for a client that lists it first?
        var chachaFirst = await prober.SendAsync(Hello(version, [chacha[0], plain[0]]).Encode(), cancellationToken);
        if (chachaFirst.IsHello) result.ChaCha20WhenClientPrefers = chachaFirst.Suite == chacha[0];
    }

    /// <summary>The key exchange as the server ran it: the TLS 1.3 key_share group, or the TLS 1.2 ServerKeyExchange parameters.</summary>
    private static AcceptedSuite Accepted(CipherSuiteEntry suite, ProbeReply reply)
    {
        if (suite.IsTls13)
        {
            var share = TlsExtension.Find(reply.Hello!.Extensions, ExtensionType.KeyShare);
            if (share is { Length: >= 2 }) return new AcceptedSuite(suite, NamedGroupRegistry.NameOf((ushort)(share[0] << 8 | share[1])));
            return new AcceptedSuite(suite, null);
        }
        if (reply.Find(HandshakeType.ServerKeyExchange) is not { } ske) return new AcceptedSuite(suite, null);
        var body = ske.Body;
        if (suite.KeyExchange is "ECDH" && body.Length >= 3 && body[0] == 3)
            return new AcceptedSuite(suite, NamedGroupRegistry.NameOf((ushort)(body[1] << 8 | body[2])));
        if (suite.KeyExchange is "DH" && body.Length >= 2)
        {
            var pLength = body[0] << 8 | body[1];
            if (body.Length < 2 + pLength) return new AcceptedSuite(suite, null);
            var p = body.Slice(2, pLength);
            var leading = 0;
            while (leading < p.Length && p[leading] == 0) leading++;
            var bits = (p.Length - leading) * 8;
            if (leading < p.Length) bits -= byte.LeadingZeroCount(p[leading]);
            return new AcceptedSuite(suite, $"DHE {bits} bits", bits);
        }
        return new AcceptedSuite(suite, null);
    }

    /// <summary>The newest version the server accepts (SSL 2.0 aside, which the scan does not talk beyond a hello).</summary>
    private static ProtocolVersion Best(ScanReport report)
    {
        ProtocolVersion best = 0;
        foreach (var v in report.Versions)
            if (v.Supported && v.Version != ScanVersions.Ssl20 && v.Version > best) best = v.Version;
        return best;
    }

    private static List<ushort> EcdheSuites(VersionSuites suites)
    {
        var list = new List<ushort>();
        foreach (var s in suites.Accepted)
            if (s.Info.KeyExchange == "ECDH") list.Add(s.Info.Id);
        return list;
    }

    /// <summary>TLS 1.3: one group in supported_groups and no key share, so a server that has the group must name it in a HelloRetryRequest.</summary>
    private async Task<VersionGroups> Tls13GroupsAsync(Prober prober, CancellationToken cancellationToken)
    {
        var suites = CipherSuiteRegistry.IdsFor(ProtocolVersion.Tls13);
        var tasks = new List<(NamedGroupEntry, Task<ProbeReply>)>();
        foreach (var g in NamedGroupRegistry.All)
        {
            var hello = Hello(ProtocolVersion.Tls13, suites) with { Groups = [g.Id], KeyShareGroups = [] };
            tasks.Add((g, prober.SendAsync(hello.Encode(), cancellationToken)));
        }
        var accepted = new List<NamedGroupEntry>();
        foreach (var (g, t) in tasks)
        {
            var reply = await t;
            if (!reply.IsHello || reply.Version != (ushort)ProtocolVersion.Tls13) continue;
            var share = TlsExtension.Find(reply.Hello!.Extensions, ExtensionType.KeyShare);
            if (share is { Length: >= 2 } && (share[0] << 8 | share[1]) == g.Id) accepted.Add(g);
        }
        return new VersionGroups(ProtocolVersion.Tls13, accepted);
    }

    /// <summary>The named curve of the leaf's ECDSA key (secp256r1, secp384r1, secp521r1), or null for any other key.</summary>
    private static NamedGroupEntry? CertificateCurve(ScanReport report)
    {
        if (report.Chains.Count == 0 || report.Chains[0].Certificates.Count == 0 || report.Chains[0].Certificates[0].KeyAlgorithm != "ECDSA") return null;
        var name = report.Chains[0].Certificates[0].KeyBits switch { 256 => "secp256r1", 384 => "secp384r1", 521 => "secp521r1", _ => null };
        foreach (var g in NamedGroupRegistry.All)
            if (g.Name == name) return g;
        return null;
    }

    /// <summary>
    /// TLS 1.2: ECDHE suites only and one curve offered; the ServerKeyExchange names the curve the server used. A server
    /// with an ECDSA certificate may refuse a group offered alone because a TLS 1.2 client's supported_groups also says
    /// which curves it can verify (RFC 8422 §5.1): such a group is asked again listed first beside the certificate's
    /// curve, and counts when the server then uses it; the report's note says so.
    /// </summary>
    private async Task<VersionGroups> Tls12GroupsAsync(Prober prober, List<ushort> ecdhe, NamedGroupEntry? certificateCurve, CancellationToken cancellationToken)
    {
        var tasks = new List<(NamedGroupEntry, Task<ProbeReply>)>();
        foreach (var g in NamedGroupRegistry.All)
        {
            if (!g.InTls12) continue;
            var hello = Hello(ProtocolVersion.Tls12, ecdhe) with { Groups = [g.Id] };
            tasks.Add((g, prober.SendAsync(hello.Encode(), cancellationToken)));
        }
        var accepted = new List<NamedGroupEntry>();
        foreach (var (g, t) in tasks)
        {
            var reply = await t;
            if (!reply.IsHello || reply.Find(HandshakeType.ServerKeyExchange) is not { } ske) continue;
            var body = ske.Body;
            if (body.Length >= 3 && body[0] == 3 && (body[1] << 8 | body[2]) == g.Id) accepted.Add(g);
        }
        if (certificateCurve is not { } curve) return new VersionGroups(ProtocolVersion.Tls12, accepted);
        var besideCurve = new List<NamedGroupEntry>();
        foreach (var (g, _) in tasks)
        {
            if (g.Id == curve.Id || accepted.Contains(g)) continue;
            var hello = Hello(ProtocolVersion.Tls12, ecdhe) with { Groups = [g.Id, curve.Id] };
            var reply = await prober.SendAsync(hello.Encode(), cancellationToken);
            if (!reply.IsHello || reply.Find(HandshakeType.ServerKeyExchange) is not { } ske) continue;
            var body = ske.Body;
            if (body.Length >= 3 && body[0] == 3 && (body[1] << 8 | body[2]) == g.Id) besideCurve.Add(g);
        }
        if (besideCurve.Count == 0) return new VersionGroups(ProtocolVersion.Tls12, accepted);
        var names = new List<string>(besideCurve.Count);
        foreach (var g in besideCurve) names.Add(g.Name);
        var ordered = new List<NamedGroupEntry>(accepted.Count + besideCurve.Count);
        foreach (var g in NamedGroupRegistry.All)
            if (accepted.Contains(g) || besideCurve.Contains(g)) ordered.Add(g);
        return new VersionGroups(ProtocolVersion.Tls12, ordered)
        {
            Note = $"{string.Join(", ", names)} only when {curve.Name} is offered too: the certificate's ECDSA key is on {curve.Name}, and a TLS 1.2 client's supported_groups also names the curves it can verify (RFC 8422 §5.1); a group the server ranks below that curve cannot be seen this way",
        };
    }

    /// <summary>
    /// RFC 7507: a hello below the server's best version that carries TLS_FALLBACK_SCSV must be refused with
    /// inappropriate_fallback. RFC 8446 §4.1.3: a TLS 1.3 server that negotiates TLS 1.2 marks its random.
    /// </summary>
    private async Task DowngradeAsync(Prober prober, ScanReport report, Dictionary<ProtocolVersion, ProbeReply> versionReplies, CancellationToken cancellationToken)
    {
        var supported = new List<ProtocolVersion>();
        foreach (var v in report.Versions)
            if (v.Supported && v.Version != ScanVersions.Ssl20) supported.Add(v.Version);
        if (supported.Count >= 2)
        {
            var below = supported[^2];
            var hello = Hello(below, CipherSuiteRegistry.IdsFor(below)) with { Fallback = true };
            var reply = await prober.SendAsync(hello.Encode(), cancellationToken);
            report.FallbackScsvHonoured = reply is { Outcome: ProbeOutcome.Alert, Alert: AlertDescription.InappropriateFallback }
                || (reply.Outcome is ProbeOutcome.Closed or ProbeOutcome.Alert && !reply.IsHello);
            if (reply.Outcome == ProbeOutcome.Alert && reply.Alert != AlertDescription.InappropriateFallback)
                report.Anomalies.Add($"fallback hello at {TlsNames.OfVersion((ushort)below)} refused with {TlsException.Describe(reply.Alert!.Value)}, not inappropriate_fallback");
        }
        if (report.Supports(ProtocolVersion.Tls13) && report.Supports(ProtocolVersion.Tls12))
        {
            var random = versionReplies[ProtocolVersion.Tls12].Hello!.Random;
            report.DowngradeSentinel = random.AsSpan(24).SequenceEqual(DowngradeTls12);
        }
    }

    /// <summary>What the ServerHello of the best version up to TLS 1.2 echoed: renegotiation_info and extended_master_secret.</summary>
    private static void Extensions(ScanReport report, Dictionary<ProtocolVersion, ProbeReply> versionReplies)
    {
        ProtocolVersion[] legacy = [ProtocolVersion.Tls12, ProtocolVersion.Tls11, ProtocolVersion.Tls10, ProtocolVersion.Ssl30];
        foreach (var v in legacy)
        {
            if (!report.Supports(v)) continue;
            var reply = versionReplies[v];
            report.SecureRenegotiation = reply.HasExtension(ExtensionType.RenegotiationInfo);
            report.ExtendedMasterSecret = v != ProtocolVersion.Ssl30 && reply.HasExtension(ExtensionType.ExtendedMasterSecret);
            return;
        }
    }

    /// <summary>Compression (CRIME) and heartbeat, asked at the newest version up to TLS 1.2 (TLS 1.3 has neither in the clear).</summary>
    private async Task LegacyFeaturesAsync(Prober prober, ScanReport report, CancellationToken cancellationToken)
    {
        ProtocolVersion[] legacy = [ProtocolVersion.Tls12, ProtocolVersion.Tls11, ProtocolVersion.Tls10, ProtocolVersion.Ssl30];
        foreach (var v in legacy)
        {
            if (!report.Supports(v)) continue;
            var suites = CipherSuiteRegistry.IdsFor(v);
            var deflate = prober.SendAsync((Hello(v, suites) with { OfferDeflate = true }).Encode(), cancellationToken);
            var heartbeat = v == ProtocolVersion.Ssl30 ? null : prober.SendAsync((Hello(v, suites) with { Heartbeat = true }).Encode(), cancellationToken);
            var d = await deflate;
            report.Compression = d.IsHello && d.Hello!.LegacyCompressionMethod != 0;
            if (heartbeat is not null)
            {
                var h = await heartbeat;
                report.Heartbeat = h.IsHello && h.HasExtension((ExtensionType)15);
            }
            return;
        }
    }

    /// <summary>An SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 §4.1) offering the seven SSL 2.0 cipher kinds.</summary>
    private static byte[] Ssl2ClientHello()
    {
        byte[] specs = [0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03, 0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00, 0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xC0];
        var challenge = RandomNumberGenerator.GetBytes(16);
        var body = new byte[9 + specs.Length + challenge.Length];
        body[0] = 1;                                   // CLIENT-HELLO
        body[1] = 0; body[2] = 2;                      // version 0x0002
        body[3] = 0; body[4] = (byte)specs.Length;
        body[5] = 0; body[6] = 0;                      // no session id
        body[7] = 0; body[8] = (byte)challenge.Length;
        specs.CopyTo(body, 9);
        challenge.CopyTo(body, 9 + specs.Length);
        var record = new byte[2 + body.Length];
        record[0] = (byte)(0x80 | body.Length >> 8);   // two-byte header, no padding
        record[1] = (byte)body.Length;
        body.CopyTo(record, 2);
        return record;
    }
}
