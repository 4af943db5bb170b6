using System.Globalization;
using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Scan;

namespace Tessera.Cli.Scan;

/// <summary>`tessera scan` for a person: protocols, suites per version, groups, downgrade protection, notes.</summary>
internal static class ScanView
{
    public static void Write(IAnsiConsole console, ScanReport r)
    {
        var lines = new PlainLines(console);
        lines.Line(($"Scan of {r.Target}", Tone.Bold), ($" ({r.Address}{(r.ServerName is { } sni ? $", SNI {sni}" : "")}): {r.Connections} connections in {r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s", Tone.Grey));
        var grade = Grader.Grade(r);
        lines.Line();
        var gradeTone = grade.Grade is "A+" or "A" ? Tone.Green : grade.Grade is "A-" or "B" ? Tone.Blue : Tone.Red;
        lines.Line(("  Grade ", Tone.Bold), (grade.Grade, gradeTone), ($"   score {grade.Score} (protocol {grade.ProtocolScore}, key exchange {grade.KeyExchangeScore}, cipher {grade.CipherScore})", Tone.Grey));
        if (grade.CertificateOutcome is { } outcome) lines.Line(($"  {outcome}", Tone.Plain));
        foreach (var cap in grade.Caps) lines.Line(($"  capped at {GradeResult.Text(cap.Max)}: {cap.Reason}", Tone.Plain), (cap.Rule.StartsWith("Tessera", StringComparison.Ordinal) ? $" [{cap.Rule}]" : "", Tone.Grey));
        lines.Line();
        lines.Rule("Protocols");
        foreach (var v in r.Versions)
            lines.Line(($"  {v.Name,-8}  ", Tone.Plain), (v.Supported ? "offered" : "not offered", v.Supported ? LegacyTone(v) : Tone.Grey), (v.Supported ? "" : $"  ({v.Answer})", Tone.Grey));
        foreach (var s in r.Suites)
        {
            lines.Line();
            var order = Order(s) ?? "";
            lines.Rule($"Cipher suites, {Name(s.Version)}{(order.Length > 0 ? $" ({order})" : "")}");
            foreach (var a in s.Accepted)
            {
                var tone = a.Info.IsInsecure ? Tone.Red : a.Info.IsWeak || !a.Info.IsForwardSecret || a.Info.IsCbc ? Tone.Blue : Tone.Plain;
                lines.Line(($"  {a.Info.IanaName,-46}", tone), ($" {a.Info.OpenSslName,-30} {a.Info.Bits,3} bits  {a.KeyExchange ?? (a.Info.IsForwardSecret ? "" : "static RSA")}", Tone.Grey));
            }
        }
        WriteChains(lines, r);
        if (r.Groups.Count > 0)
        {
            lines.Line();
            lines.Rule("Key exchange groups");
            foreach (var g in r.Groups)
            {
                var names = new List<string>();
                foreach (var info in g.Accepted) names.Add(info.Name);
                lines.Line(($"  {Name(g.Version),-8}  ", Tone.Plain), (names.Count == 0 ? "none" : string.Join(", ", names), Tone.Plain));
                if (g.Note is { } note) lines.Wrapped(12, ("", Tone.Plain), (note, Tone.Grey));
            }
        }
        if (r.Handshake is { } hf)
        {
            lines.Line();
            lines.Rule("Signature schemes and handshake");
            foreach (var (version, schemes) in hf.SignatureSchemes)
                lines.Wrapped(2, ($"{Name(version),-8}  ", Tone.Plain), (schemes.Count == 0 ? "none of those asked" : string.Join(", ", schemes), Tone.Plain));
            if (hf.RetryGroup is { } rg)
                lines.Line(($"  {"HelloRetryRequest, no key share",-36}", Tone.Plain), ($"asks for {rg}{(hf.RetryCookie == true ? ", with a cookie" : "")}", Tone.Plain));
            if (hf.RetryForPreferredGroup is { } rp)
                lines.Line(($"  {"x25519 share, P-256 listed first",-36}", Tone.Plain), (rp ? "asks again for P-256 (an extra round trip)" : "uses the x25519 share", Tone.Plain));
            lines.Line(($"  {"record_size_limit (RFC 8449)",-36}", Tone.Plain), ($"TLS 1.2 {Limit(hf.RecordSizeLimitTls12)}, TLS 1.3 {Limit(hf.RecordSizeLimitTls13)}", Tone.Plain));
            if (hf.CertificateCompression is { } compression)
                lines.Line(($"  {"certificate compression (RFC 8879)",-36}", Tone.Plain),
                    (compression.Count == 0 ? "none of brotli, zlib" : string.Join(", ", compression), Tone.Plain));
        }
        lines.Line();
        lines.Rule("Protocol features");
        Feature(lines, "TLS_FALLBACK_SCSV (RFC 7507)", r.FallbackScsvHonoured, "honoured", "ignored", "one version only");
        Feature(lines, "TLS 1.3 downgrade sentinel", r.DowngradeSentinel, "present", "missing", "not both TLS 1.3 and 1.2");
        Feature(lines, "Secure renegotiation (RFC 5746)", r.SecureRenegotiation, "supported", "not supported", "TLS 1.3 only");
        Feature(lines, "Extended master secret (RFC 7627)", r.ExtendedMasterSecret, "supported", "not supported", "TLS 1.3 only");
        Feature(lines, "TLS compression (CRIME)", r.Compression is { } c ? !c : null, "not offered", "OFFERED", "TLS 1.3 only");
        Feature(lines, "Heartbeat extension (RFC 6520)", r.Heartbeat is { } hb ? !hb : null, "not offered", "offered", "TLS 1.3 only");
        if (r.Resumption is { } res) WriteResumption(lines, res);
        if (r.Hsts is { } hsts)
            lines.Line(($"  {"HSTS (RFC 6797)",-36}", Tone.Plain), hsts.Present ? ($"max-age {hsts.MaxAgeSeconds?.ToString(CultureInfo.InvariantCulture) ?? "missing"}{(hsts.IncludeSubDomains ? ", includeSubDomains" : "")}{(hsts.Preload ? ", preload" : "")}", Tone.Green) : ("not sent", Tone.Grey));
        var findings = Grader.Findings(r, grade);
        if (findings.Count > 0)
        {
            lines.Line();
            lines.Rule("Findings, worst first");
            foreach (var f in findings)
                lines.Line(($"  {f.Severity.ToString().ToUpperInvariant(),-8} ", f.Severity <= Severity.High ? Tone.Red : f.Severity == Severity.Medium ? Tone.Blue : Tone.Grey), (f.Text, Tone.Plain));
        }
    }

    private static void WriteChains(PlainLines lines, ScanReport r)
    {
        ChainReport? first = null;
        foreach (var chain in r.Chains)
        {
            if (first is not null && first.HasSameLeafAs(chain))
            {
                lines.Line(($"  {(chain.Sni is null ? "Without SNI" : $"With SNI {chain.Sni}")}: the same chain.", Tone.Grey));
                continue;
            }
            first ??= chain;
            lines.Line();
            lines.Rule($"Certificate, {(chain.Sni is null ? "no SNI" : $"SNI {chain.Sni}")} ({chain.Source})");
            var now = r.Started;
            for (var i = 0; i < chain.Certificates.Count; i++)
            {
                var c = chain.Certificates[i];
                var days = (int)Math.Floor((c.NotAfter - now).TotalDays);
                var expiry = c.NotAfter < now ? $"EXPIRED {Date(c.NotAfter)}" : c.NotBefore > now ? $"not valid before {Date(c.NotBefore)}" : $"expires {Date(c.NotAfter)} ({days} days)";
                lines.Line(($"  #{i} ", Tone.Grey), (c.Subject, Tone.Bold));
                lines.Line(($"     {c.Key}, {c.SignatureAlgorithm}, ", Tone.Plain), (expiry, c.NotAfter < now || c.NotBefore > now ? Tone.Red : days < 14 ? Tone.Blue : Tone.Plain));
                lines.Line(($"     issuer {c.Issuer}", Tone.Grey));
                if (i == 0)
                {
                    lines.Line(($"     names  {(c.SubjectAltNames.Count == 0 ? "none" : string.Join(", ", c.SubjectAltNames))}", Tone.Plain));
                    lines.Line(($"     OCSP   {(c.OcspUrls.Count == 0 ? "none" : string.Join(", ", c.OcspUrls))}; CRL {(c.CrlUrls.Count == 0 ? "none" : string.Join(", ", c.CrlUrls))}; must-staple {(c.MustStaple ? "yes" : "no")}", Tone.Plain));
                }
            }
            var staple = Staple(chain);
            lines.Line(("  Stapled OCSP   ", Tone.Plain), (staple, chain.Staple is null ? Tone.Grey : chain.Staple.Status == "good" ? Tone.Green : Tone.Red));
            lines.Line(("  Host name      ", Tone.Plain), (chain.NameMatches ? $"matches {chain.Host}" : $"does not match {chain.Host}", chain.NameMatches ? Tone.Green : Tone.Red));
            foreach (var v in chain.Verdicts)
                lines.Line(($"  Trust ({v.Profile,-7}) ", Tone.Plain), (v.Trusted ? "trusted" : $"not trusted: {v.Problem}", v.Trusted ? Tone.Green : Tone.Red));
        }
    }

    /// <summary>Whose order the server picks suites in, as the terminal and the page say it; null when unknown.</summary>
    internal static string? Order(VersionSuites s) => s.ServerOrder switch
    {
        true => s.ChaCha20WhenClientPrefers == true ? "server's order, ChaCha20 first when the client prefers it" : "server's order",
        false => "client's order",
        null => null,
    };

    /// <summary>The stapled OCSP response in a few words, or "none".</summary>
    internal static string Staple(ChainReport chain) => chain.Staple is { } st
        ? $"{st.Status}{(st.ThisUpdate is { } t ? $", produced for {Date(t)}" : "")}{(st.NextUpdate is { } n ? $", next update {Date(n)}" : "")}"
        : "none";

    internal static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void WriteResumption(PlainLines lines, ResumptionReport res)
    {
        lines.Line();
        lines.Rule("Resumption and 0-RTT");
        if (res.Tls13Tickets is { } count)
        {
            var lifetime = res.Tls13TicketLifetimeSeconds is { } l ? $", lifetime {Duration(l)}" : "";
            var early = res.Tls13MaxEarlyData is { } m ? m == 0 ? ", no early data" : $", early data up to {m} bytes" : "";
            lines.Line(($"  {"TLS 1.3 tickets",-36}", Tone.Plain), ($"{count}{lifetime}{early}", Tone.Plain));
            Feature(lines, "TLS 1.3 resumption", res.Tls13Resumed, "works", "refused", "no ticket");
            if (res.EarlyDataAccepted is { } e) Feature(lines, "0-RTT early data", e, "accepted", "rejected", "");
            if (res.ReplayedEarlyDataAccepted is { } replay)
                lines.Line(($"  {"Replayed 0-RTT",-36}", Tone.Plain), replay ? ("ACCEPTED (RFC 8446 §8 anti-replay missing)", Tone.Red) : ("rejected", Tone.Green));
        }
        if (res.Tls12TicketIssued is { } issued)
        {
            lines.Line(($"  {"TLS 1.2 session tickets",-36}", Tone.Plain), (issued ? $"issued{(res.Tls12TicketLifetimeSeconds is { } l ? $", lifetime hint {Duration(l)}" : "")}" : "not issued", Tone.Plain));
            if (res.Tls12TicketResumed is { } tr) Feature(lines, "TLS 1.2 ticket resumption", tr, "works", "refused", "");
            Feature(lines, "TLS 1.2 session ID resumption", res.Tls12SessionIdResumed, "works", "refused", "");
        }
        lines.Line(($"  {"ALPN",-36}", Tone.Plain), (res.Alpn.Count == 0 ? "none of h2, http/1.1, http/1.0, spdy/3.1, acme-tls/1" : string.Join(", ", res.Alpn), Tone.Plain));
        foreach (var n in res.Notes) lines.Line(($"  {n}", Tone.Grey));
    }

    internal static string Limit(ushort? limit) => limit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "not supported";

    internal static string Duration(uint seconds) =>
        seconds % 86400 == 0 ? $"{seconds / 86400} d" : seconds % 3600 == 0 ? $"{seconds / 3600} h" : seconds % 60 == 0 ? $"{seconds / 60} min" : $"{seconds} s";

    private static void Feature(PlainLines lines, string name, bool? value, string yes, string no, string notApplicable) =>
        lines.Line(($"  {name,-36}", Tone.Plain), value switch
        {
            true => (yes, Tone.Green),
            false => (no, Tone.Red),
            null => ($"n/a ({notApplicable})", Tone.Grey),
        });

    private static Tone LegacyTone(VersionSupport v) => v.Version is Tessera.Wire.ProtocolVersion.Tls12 or Tessera.Wire.ProtocolVersion.Tls13 ? Tone.Green : Tone.Red;

    internal static string Name(Tessera.Wire.ProtocolVersion v) => Tessera.Wire.TlsNames.OfVersion((ushort)v);
}
