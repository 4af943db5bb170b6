using System.Globalization;
using Tessera.Cli.Html;
using Tessera.Cli.Output;
using Tessera.Scan;
using Tessera.Wire;

namespace Tessera.Cli.Scan;

/// <summary>
/// `tessera scan --html FILE`: the report as one self-contained page (inline CSS and SVG, no script, a CSP that allows
/// only its own style sheet), laid out as SSL Labs lays out its report: the grade as a badge with the score's three
/// parts and the caps, findings worst first, then protocols, suites per version, groups, signature schemes, each chain
/// as a tree with expiry and trust, resumption and 0-RTT, protocol features. Rendered from the same report as `--json`.
/// </summary>
internal static class ScanHtml
{
    public static string Render(ScanReport r)
    {
        var grade = Grader.Grade(r);
        var h = new HtmlWriter();
        h.Raw("<main>");
        h.Open("header", ("class", "page")).Element("h1", $"TLS scan of {r.Target}")
            .Element("p", $"{r.Address}{(r.ServerName is { } sni ? $", SNI {sni}" : "")} · {r.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · {r.Connections} connections in {r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s", "meta")
            .Close("header");
        Summary(h, grade);
        Findings(h, Grader.Findings(r, grade));
        Protocols(h, r);
        foreach (var s in r.Suites) Suites(h, s);
        Groups(h, r);
        Handshake(h, r);
        Chains(h, r);
        if (r.Resumption is { } res) Resumption(h, res);
        Features(h, r);
        h.Open("footer").Text($"Made by tessera {ToolBuild.Version} scan. Grades follow SSL Labs' SSL Server Rating Guide; T: chain not trusted, M: name mismatch.").Close("footer");
        h.Raw("</main>");
        return HtmlWriter.Page($"TLS scan of {r.Target}: {grade.Grade}", ReportStyle.Css, h.ToString());
    }

    private static string GradeClass(string grade) => grade switch
    {
        "A+" or "A" => "good",
        "A-" or "B" => "warn",
        _ => "bad",
    };

    private static string Colour(string cssClass) => cssClass switch
    {
        "good" => "#1a7f37",
        "warn" => "#9a6700",
        "info" => "#0969da",
        _ => "#cf222e",
    };

    private static void Summary(HtmlWriter h, GradeResult grade)
    {
        var fill = Colour(GradeClass(grade.Grade));
        h.Open("section", ("class", "summary"), ("id", "grade"));
        h.Open("svg", ("class", "badge"), ("viewBox", "0 0 112 112"), ("role", "img"), ("aria-label", $"Grade {grade.Grade}"))
            .Open("rect", ("x", "2"), ("y", "2"), ("width", "108"), ("height", "108"), ("rx", "14"), ("fill", fill)).Close("rect")
            .Open("text", ("x", "56"), ("y", "72"), ("text-anchor", "middle"), ("font-size", grade.Grade.Length > 1 ? "46" : "56"), ("font-weight", "700"), ("fill", "#fff"), ("font-family", "system-ui, sans-serif")).Text(grade.Grade).Close("text")
            .Close("svg");
        h.Open("div", ("class", "scores"));
        h.Open("p").Raw("<strong>Grade ").Text(grade.Grade).Raw("</strong> · score ").Text(grade.Score.ToString(CultureInfo.InvariantCulture)).Raw(" / 100");
        if (grade.GradeIgnoringCertificate != grade.Grade) h.Text($" · {grade.GradeIgnoringCertificate} if the certificate problem is set aside");
        h.Close("p");
        Bar(h, "Protocol", grade.ProtocolScore);
        Bar(h, "Key exchange", grade.KeyExchangeScore);
        Bar(h, "Cipher strength", grade.CipherScore);
        if (grade.CertificateOutcome is { } outcome) h.Element("p", outcome, "bad");
        if (grade.Caps.Count > 0)
        {
            h.Open("ul", ("class", "caps"));
            foreach (var cap in grade.Caps)
                h.Open("li").Raw("Capped at <strong>").Text(GradeResult.Text(cap.Max)).Raw("</strong>: ").Text(cap.Reason).Raw(" ").Element("span", $"[{cap.Rule}]", "muted").Close("li");
            h.Close("ul");
        }
        h.Close("div").Close("section");
    }

    private static void Bar(HtmlWriter h, string name, int score)
    {
        var width = Math.Clamp(score, 0, 100).ToString(CultureInfo.InvariantCulture);
        var fill = score >= 80 ? "#1a7f37" : score >= 50 ? "#9a6700" : "#cf222e";
        h.Open("div", ("class", "bar")).Element("span", name)
            .Open("svg", ("viewBox", "0 0 100 12"), ("preserveAspectRatio", "none"), ("aria-hidden", "true"))
            .Open("rect", ("width", "100"), ("height", "12"), ("rx", "3"), ("fill", "#e6e9ed")).Close("rect")
            .Open("rect", ("width", width), ("height", "12"), ("rx", "3"), ("fill", fill)).Close("rect")
            .Close("svg").Element("span", score.ToString(CultureInfo.InvariantCulture)).Close("div");
    }

    private static (string Class, string Label) Severity(Tessera.Scan.Severity s) => s switch
    {
        Tessera.Scan.Severity.Critical => ("crit", "CRITICAL"),
        Tessera.Scan.Severity.High => ("bad", "HIGH"),
        Tessera.Scan.Severity.Medium => ("warn", "MEDIUM"),
        Tessera.Scan.Severity.Low => ("info", "LOW"),
        _ => ("muted", "INFO"),
    };

    private static void Findings(HtmlWriter h, List<Finding> findings)
    {
        h.Open("section", ("id", "findings")).Element("h2", "Findings, worst first");
        if (findings.Count == 0) h.Element("p", "Nothing to report.", "good");
        else
        {
            h.Open("ol", ("class", "findings"));
            foreach (var f in findings)
            {
                var (cls, label) = Severity(f.Severity);
                h.Open("li", ("class", $"finding sev-{label.ToLowerInvariant()}"), ("data-id", f.Id)).Element("span", label, $"chip {cls}").Open("span").Element("span", f.Text, "text");
                h.Element("span", f.Rule is { } rule ? $"{f.Id} · {rule}" : f.Id, "rule");
                h.Close("span").Close("li");
            }
            h.Close("ol");
        }
        h.Close("section");
    }

    private static void Protocols(HtmlWriter h, ScanReport r)
    {
        h.Open("section", ("id", "protocols")).Element("h2", "Protocols").Raw("<div class=\"scroll\"><table><thead><tr><th>Version</th><th>Offered</th><th>The server's answer</th></tr></thead><tbody>");
        foreach (var v in r.Versions)
        {
            var modern = v.Version is ProtocolVersion.Tls12 or ProtocolVersion.Tls13;
            h.Open("tr").Element("td", v.Name).Open("td").Element("span", v.Supported ? "yes" : "no", v.Supported ? modern ? "chip good" : "chip bad" : "chip muted").Close("td")
                .Element("td", v.Supported ? "" : v.Answer, "muted").Close("tr");
        }
        h.Raw("</tbody></table></div>").Close("section");
    }

    private static void Suites(HtmlWriter h, VersionSuites s)
    {
        var name = ScanView.Name(s.Version);
        var order = ScanView.Order(s);
        h.Open("section", ("id", $"suites-{Slug(name)}"), ("class", "suites")).Element("h2", $"Cipher suites, {name}");
        if (order is not null) h.Element("p", $"Chosen in the {order}.", "muted");
        h.Raw("<div class=\"scroll\"><table><thead><tr><th>Suite (IANA)</th><th>OpenSSL name</th><th>Bits</th><th>Key exchange</th><th>Strength</th></tr></thead><tbody>");
        foreach (var a in s.Accepted)
        {
            var (cls, label) = a.Info.IsInsecure ? ("bad", "insecure") : a.Info.IsWeak ? ("warn", "weak") : !a.Info.IsForwardSecret ? ("warn", "no forward secrecy") : a.Info.IsCbc ? ("info", "CBC") : ("good", "strong");
            h.Open("tr", ("class", "suite")).Open("td").Element("code", a.Info.IanaName).Close("td").Open("td").Element("code", a.Info.OpenSslName).Close("td")
                .Element("td", a.Info.Bits.ToString(CultureInfo.InvariantCulture))
                .Element("td", a.KeyExchange ?? (a.Info.IsForwardSecret ? "" : "static RSA"))
                .Open("td").Element("span", label, $"chip {cls}").Close("td").Close("tr");
        }
        h.Raw("</tbody></table></div>").Close("section");
    }

    private static void Groups(HtmlWriter h, ScanReport r)
    {
        if (r.Groups.Count == 0) return;
        h.Open("section", ("id", "groups")).Element("h2", "Key exchange groups").Raw("<div class=\"scroll\"><table><thead><tr><th>Version</th><th>Groups accepted</th></tr></thead><tbody>");
        foreach (var g in r.Groups)
        {
            h.Open("tr").Element("td", ScanView.Name(g.Version)).Open("td");
            if (g.Accepted.Count == 0) h.Text("none");
            for (var i = 0; i < g.Accepted.Count; i++)
            {
                if (i > 0) h.Raw(" ");
                var info = g.Accepted[i];
                h.Element("span", info.Name, info.IsPostQuantum ? "chip good" : "chip muted");
            }
            if (g.Note is { } note) h.Element("p", note, "muted");
            h.Close("td").Close("tr");
        }
        h.Raw("</tbody></table></div>").Close("section");
    }

    private static void Handshake(HtmlWriter h, ScanReport r)
    {
        if (r.Handshake is not { } hf) return;
        h.Open("section", ("id", "signatures")).Element("h2", "Signature schemes and handshake").Open("dl", ("class", "kv"));
        foreach (var (version, schemes) in hf.SignatureSchemes)
            h.Element("dt", $"Signatures, {ScanView.Name(version)}").Element("dd", schemes.Count == 0 ? "none of those asked" : string.Join(", ", schemes));
        if (hf.RetryGroup is { } rg) h.Element("dt", "HelloRetryRequest, no key share").Element("dd", $"asks for {rg}{(hf.RetryCookie == true ? ", with a cookie" : "")}");
        if (hf.RetryForPreferredGroup is { } rp) h.Element("dt", "x25519 share, P-256 listed first").Element("dd", rp ? "asks again for P-256 (an extra round trip)" : "uses the x25519 share");
        h.Element("dt", "record_size_limit (RFC 8449)").Element("dd", $"TLS 1.2 {Limit(hf.RecordSizeLimitTls12)}, TLS 1.3 {Limit(hf.RecordSizeLimitTls13)}");
        if (hf.CertificateCompression is { } compression)
            h.Element("dt", "Certificate compression (RFC 8879)").Element("dd", compression.Count == 0 ? "none of brotli, zlib" : string.Join(", ", compression));
        h.Close("dl").Close("section");
    }

    private static void Chains(HtmlWriter h, ScanReport r)
    {
        ChainReport? first = null;
        var index = 0;
        foreach (var chain in r.Chains)
        {
            var title = chain.Sni is null ? "Certificate chain without SNI" : $"Certificate chain with SNI {chain.Sni}";
            if (first is not null && first.HasSameLeafAs(chain))
            {
                h.Open("section", ("id", $"chain-{index++}"), ("class", "chain")).Element("h2", title).Element("p", "The same chain as above.", "muted").Close("section");
                continue;
            }
            first ??= chain;
            h.Open("section", ("id", $"chain-{index++}"), ("class", "chain")).Element("h2", title).Element("p", $"Read from the {chain.Source}.", "muted");
            h.Open("ul", ("class", "tree"));
            for (var i = 0; i < chain.Certificates.Count; i++)
            {
                Certificate(h, chain.Certificates[i], i, r.Started);
                if (i < chain.Certificates.Count - 1) h.Open("ul");
            }
            for (var i = chain.Certificates.Count - 1; i >= 0; i--)
            {
                h.Close("li");
                if (i > 0) h.Close("ul");
            }
            h.Close("ul");
            h.Open("dl", ("class", "kv"));
            h.Element("dt", "Host name").Open("dd").Element("span", chain.NameMatches ? $"matches {chain.Host}" : $"does not match {chain.Host}", chain.NameMatches ? "good" : "bad").Close("dd");
            foreach (var v in chain.Verdicts)
                h.Element("dt", $"Trust ({v.Profile})").Open("dd").Element("span", v.Trusted ? "trusted" : $"not trusted: {v.Problem}", v.Trusted ? "good" : "bad").Close("dd");
            var staple = ScanView.Staple(chain);
            h.Element("dt", "Stapled OCSP").Open("dd").Element("span", staple, chain.Staple is null ? "muted" : chain.Staple.Status == "good" ? "good" : "bad").Close("dd");
            h.Close("dl").Close("section");
        }
    }

    private static void Certificate(HtmlWriter h, CertificateFacts c, int i, DateTimeOffset now)
    {
        var days = (int)Math.Floor((c.NotAfter - now).TotalDays);
        var (cls, expiry) = c.NotAfter < now ? ("bad", $"expired {Date(c.NotAfter)}")
            : c.NotBefore > now ? ("bad", $"not valid before {Date(c.NotBefore)}")
            : (days < 14 ? "warn" : "good", $"expires {Date(c.NotAfter)} ({days} days)");
        h.Open("li").Open("div", ("class", "cert")).Open("div", ("class", "subject")).Element("span", $"#{i} ", "muted").Text(c.Subject).Close("div");
        h.Open("dl", ("class", "kv"))
            .Element("dt", "Validity").Open("dd").Element("span", expiry, cls).Close("dd")
            .Element("dt", "Key").Element("dd", $"{c.Key}, signed {c.SignatureAlgorithm}")
            .Element("dt", "Issuer").Element("dd", c.Issuer);
        if (i == 0)
        {
            h.Element("dt", "Names").Element("dd", c.SubjectAltNames.Count == 0 ? "none" : string.Join(", ", c.SubjectAltNames))
                .Element("dt", "Revocation").Element("dd", $"OCSP {(c.OcspUrls.Count == 0 ? "none" : string.Join(", ", c.OcspUrls))}; CRL {(c.CrlUrls.Count == 0 ? "none" : string.Join(", ", c.CrlUrls))}; must-staple {(c.MustStaple ? "yes" : "no")}");
        }
        h.Element("dt", "SHA-256").Open("dd").Element("code", c.Sha256).Close("dd");
        h.Close("dl").Close("div");
    }

    private static void Resumption(HtmlWriter h, ResumptionReport res)
    {
        h.Open("section", ("id", "resumption")).Element("h2", "Resumption and 0-RTT").Open("dl", ("class", "kv"));
        if (res.Tls13Tickets is { } count)
        {
            var lifetime = res.Tls13TicketLifetimeSeconds is { } l ? $", lifetime {Duration(l)}" : "";
            var early = res.Tls13MaxEarlyData is { } m ? m == 0 ? ", no early data" : $", early data up to {m} bytes" : "";
            h.Element("dt", "TLS 1.3 tickets").Element("dd", $"{count}{lifetime}{early}");
            Feature(h, "TLS 1.3 resumption", res.Tls13Resumed, "works", "refused", "no ticket");
            if (res.EarlyDataAccepted is { } e) Feature(h, "0-RTT early data", e, "accepted", "rejected", "");
            if (res.ReplayedEarlyDataAccepted is { } replay) Feature(h, "Replayed 0-RTT", !replay, "rejected", "ACCEPTED (RFC 8446 §8 anti-replay missing)", "");
        }
        if (res.Tls12TicketIssued is { } issued)
        {
            h.Element("dt", "TLS 1.2 session tickets").Element("dd", issued ? $"issued{(res.Tls12TicketLifetimeSeconds is { } l ? $", lifetime hint {Duration(l)}" : "")}" : "not issued");
            if (res.Tls12TicketResumed is { } tr) Feature(h, "TLS 1.2 ticket resumption", tr, "works", "refused", "");
            Feature(h, "TLS 1.2 session ID resumption", res.Tls12SessionIdResumed, "works", "refused", "");
        }
        h.Element("dt", "ALPN").Element("dd", res.Alpn.Count == 0 ? "none of h2, http/1.1, http/1.0, spdy/3.1, acme-tls/1" : string.Join(", ", res.Alpn));
        h.Close("dl");
        foreach (var n in res.Notes) h.Element("p", n, "muted");
        h.Close("section");
    }

    private static void Features(HtmlWriter h, ScanReport r)
    {
        h.Open("section", ("id", "features")).Element("h2", "Protocol features").Open("dl", ("class", "kv"));
        Feature(h, "TLS_FALLBACK_SCSV (RFC 7507)", r.FallbackScsvHonoured, "honoured", "ignored", "one version only");
        Feature(h, "TLS 1.3 downgrade sentinel", r.DowngradeSentinel, "present", "missing", "not both TLS 1.3 and 1.2");
        Feature(h, "Secure renegotiation (RFC 5746)", r.SecureRenegotiation, "supported", "not supported", "TLS 1.3 only");
        Feature(h, "Extended master secret (RFC 7627)", r.ExtendedMasterSecret, "supported", "not supported", "TLS 1.3 only");
        Feature(h, "TLS compression (CRIME)", r.Compression is { } c ? !c : null, "not offered", "OFFERED", "TLS 1.3 only");
        Feature(h, "Heartbeat extension (RFC 6520)", r.Heartbeat is { } hb ? !hb : null, "not offered", "offered", "TLS 1.3 only");
        if (r.Hsts is { } hsts)
            h.Element("dt", "HSTS (RFC 6797)").Open("dd").Element("span", hsts.Present ? $"max-age {hsts.MaxAgeSeconds?.ToString(CultureInfo.InvariantCulture) ?? "missing"}{(hsts.IncludeSubDomains ? ", includeSubDomains" : "")}{(hsts.Preload ? ", preload" : "")}" : "not sent", hsts.Present ? "good" : "muted").Close("dd");
        h.Close("dl");
        foreach (var a in r.Anomalies) h.Element("p", a, "muted");
        h.Close("section");
    }

    private static void Feature(HtmlWriter h, string name, bool? value, string yes, string no, string notApplicable) =>
        h.Element("dt", name).Open("dd").Element("span", value switch
        {
            true => yes,
            false => no,
            null => $"n/a ({notApplicable})",
        }, value switch { true => "good", false => "bad", null => "muted" }).Close("dd");

    private static string Slug(string text)
    {
        var chars = new List<char>(text.Length);
        foreach (var ch in text.ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(ch)) chars.Add(ch);
        return new string([.. chars]);
    }

    private static string Date(DateTimeOffset d) => ScanView.Date(d);

    private static string Limit(ushort? limit) => ScanView.Limit(limit);

    private static string Duration(uint seconds) => ScanView.Duration(seconds);
}
