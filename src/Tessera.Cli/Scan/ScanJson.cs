using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Scan;

namespace Tessera.Cli.Scan;

/// <summary>`tessera scan --json`: the whole report as one document; docs/scan-report.schema.json describes it.</summary>
internal static class ScanJson
{
    public const int SchemaVersion = 1;

    public static void Write(IAnsiConsole console, ScanReport r) => console.Profile.Out.Writer.WriteLine(ToJson(r));

    public static string ToJson(ScanReport r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", SchemaVersion);
            w.WriteString("target", r.Target);
            w.WriteString("address", r.Address);
            w.WriteString("server_name", r.ServerName);
            w.WriteString("started", r.Started);
            w.WriteNumber("elapsed_ms", Math.Round(r.Elapsed.TotalMilliseconds, 1));
            w.WriteNumber("connections", r.Connections);
            w.WriteString("tool_version", ToolBuild.Version);
            var grade = Grader.Grade(r);
            w.WriteStartObject("grade");
            w.WriteString("grade", grade.Grade);
            w.WriteString("grade_ignoring_certificate", grade.GradeIgnoringCertificate);
            w.WriteString("certificate_outcome", grade.CertificateOutcome);
            w.WriteNumber("score", grade.Score);
            w.WriteNumber("protocol_score", grade.ProtocolScore);
            w.WriteNumber("key_exchange_score", grade.KeyExchangeScore);
            w.WriteNumber("cipher_score", grade.CipherScore);
            w.WriteStartArray("caps");
            foreach (var cap in grade.Caps)
            {
                w.WriteStartObject();
                w.WriteString("max", GradeResult.Text(cap.Max));
                w.WriteString("reason", cap.Reason);
                w.WriteString("rule", cap.Rule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("findings");
            foreach (var f in Grader.Findings(r, grade))
            {
                w.WriteStartObject();
                w.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
                w.WriteString("text", f.Text);
                w.WriteString("rule", f.Rule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("versions");
            foreach (var v in r.Versions)
            {
                w.WriteStartObject();
                w.WriteString("name", v.Name);
                w.WriteNumber("code", (ushort)v.Version);
                w.WriteBoolean("supported", v.Supported);
                w.WriteString("answer", v.Answer);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("cipher_suites");
            foreach (var s in r.Suites)
            {
                w.WriteStartObject();
                w.WriteString("version", ScanView.Name(s.Version));
                Nullable(w, "server_order", s.ServerOrder);
                Nullable(w, "chacha20_when_client_prefers", s.ChaCha20WhenClientPrefers);
                w.WriteStartArray("accepted");
                foreach (var a in s.Accepted)
                {
                    w.WriteStartObject();
                    w.WriteString("iana", a.Info.IanaName);
                    w.WriteString("openssl", a.Info.OpenSslName);
                    w.WriteString("code", $"0x{a.Info.Id:x4}");
                    w.WriteNumber("bits", a.Info.Bits);
                    w.WriteBoolean("forward_secret", a.Info.IsForwardSecret);
                    w.WriteBoolean("aead", a.Info.IsAead);
                    w.WriteString("strength", a.Info.IsInsecure ? "insecure" : a.Info.IsWeak ? "weak" : "strong");
                    w.WriteString("key_exchange", a.KeyExchange);
                    if (a.DhBits is { } dh) w.WriteNumber("dh_bits", dh); else w.WriteNull("dh_bits");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("groups");
            foreach (var g in r.Groups)
            {
                w.WriteStartObject();
                w.WriteString("version", ScanView.Name(g.Version));
                w.WriteStartArray("accepted");
                foreach (var info in g.Accepted)
                {
                    w.WriteStartObject();
                    w.WriteString("name", info.Name);
                    w.WriteString("code", $"0x{info.Id:x4}");
                    w.WriteNumber("bits", info.Bits);
                    w.WriteBoolean("post_quantum", info.IsPostQuantum);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("certificates");
            foreach (var c in r.Chains) WriteChain(w, c, r.Started);
            w.WriteEndArray();
            w.WriteStartObject("features");
            Nullable(w, "fallback_scsv_honoured", r.FallbackScsvHonoured);
            Nullable(w, "downgrade_sentinel", r.DowngradeSentinel);
            Nullable(w, "secure_renegotiation", r.SecureRenegotiation);
            Nullable(w, "extended_master_secret", r.ExtendedMasterSecret);
            Nullable(w, "compression", r.Compression);
            Nullable(w, "heartbeat", r.Heartbeat);
            w.WriteEndObject();
            if (r.Handshake is { } hf)
            {
                w.WriteStartObject("handshake");
                w.WriteStartArray("signature_schemes");
                foreach (var (version, schemes) in hf.SignatureSchemes)
                {
                    w.WriteStartObject();
                    w.WriteString("version", ScanView.Name(version));
                    w.WriteStartArray("accepted");
                    foreach (var scheme in schemes) w.WriteStringValue(scheme);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("hello_retry_group", hf.RetryGroup);
                Nullable(w, "hello_retry_cookie", hf.RetryCookie);
                Nullable(w, "hello_retry_for_preferred_group", hf.RetryForPreferredGroup);
                NullableNumber(w, "record_size_limit_tls12", hf.RecordSizeLimitTls12);
                NullableNumber(w, "record_size_limit_tls13", hf.RecordSizeLimitTls13);
                if (hf.CertificateCompression is { } algorithms)
                {
                    w.WriteStartArray("certificate_compression");
                    foreach (var a in algorithms) w.WriteStringValue(a);
                    w.WriteEndArray();
                }
                else w.WriteNull("certificate_compression");
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("handshake");
            }
            if (r.Hsts is { } hsts)
            {
                w.WriteStartObject("hsts");
                w.WriteBoolean("present", hsts.Present);
                NullableNumber(w, "max_age_s", hsts.MaxAgeSeconds);
                w.WriteBoolean("include_subdomains", hsts.IncludeSubDomains);
                w.WriteBoolean("preload", hsts.Preload);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("hsts");
            }
            if (r.Resumption is { } res)
            {
                w.WriteStartObject("resumption");
                NullableNumber(w, "tls13_tickets", res.Tls13Tickets);
                NullableNumber(w, "tls13_ticket_lifetime_s", res.Tls13TicketLifetimeSeconds);
                NullableNumber(w, "tls13_max_early_data", res.Tls13MaxEarlyData);
                Nullable(w, "tls13_resumed", res.Tls13Resumed);
                Nullable(w, "early_data_accepted", res.EarlyDataAccepted);
                Nullable(w, "replayed_early_data_accepted", res.ReplayedEarlyDataAccepted);
                Nullable(w, "tls12_ticket_issued", res.Tls12TicketIssued);
                NullableNumber(w, "tls12_ticket_lifetime_s", res.Tls12TicketLifetimeSeconds);
                Nullable(w, "tls12_ticket_resumed", res.Tls12TicketResumed);
                Nullable(w, "tls12_session_id_resumed", res.Tls12SessionIdResumed);
                w.WriteStartArray("alpn");
                foreach (var a in res.Alpn) w.WriteStringValue(a);
                w.WriteEndArray();
                w.WriteStartArray("notes");
                foreach (var n in res.Notes) w.WriteStringValue(n);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("resumption");
            }
            w.WriteStartArray("notes");
            foreach (var a in r.Anomalies) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteChain(Utf8JsonWriter w, ChainReport c, DateTimeOffset now)
    {
        w.WriteStartObject();
        w.WriteString("sni", c.Sni);
        w.WriteString("source", c.Source);
        w.WriteString("host", c.Host);
        w.WriteBoolean("name_matches", c.NameMatches);
        w.WriteBoolean("expired", c.Expired(now));
        w.WriteStartObject("trust");
        foreach (var v in c.Verdicts)
        {
            w.WriteStartObject(v.Profile);
            w.WriteBoolean("trusted", v.Trusted);
            w.WriteString("problem", v.Problem);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (c.Staple is { } s)
        {
            w.WriteStartObject("stapled_ocsp");
            w.WriteString("status", s.Status);
            if (s.ThisUpdate is { } t) w.WriteString("this_update", t); else w.WriteNull("this_update");
            if (s.NextUpdate is { } n) w.WriteString("next_update", n); else w.WriteNull("next_update");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("stapled_ocsp");
        }
        w.WriteStartArray("chain");
        foreach (var f in c.Certificates)
        {
            w.WriteStartObject();
            w.WriteString("subject", f.Subject);
            w.WriteString("issuer", f.Issuer);
            w.WriteString("key", f.Key);
            w.WriteString("key_algorithm", f.KeyAlgorithm);
            w.WriteNumber("key_bits", f.KeyBits);
            w.WriteString("signature_algorithm", f.SignatureAlgorithm);
            w.WriteString("not_before", f.NotBefore);
            w.WriteString("not_after", f.NotAfter);
            w.WriteStartArray("subject_alt_names");
            foreach (var n in f.SubjectAltNames) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("ocsp_urls");
            foreach (var u in f.OcspUrls) w.WriteStringValue(u);
            w.WriteEndArray();
            w.WriteStartArray("crl_urls");
            foreach (var u in f.CrlUrls) w.WriteStringValue(u);
            w.WriteEndArray();
            w.WriteBoolean("must_staple", f.MustStaple);
            w.WriteBoolean("self_signed", f.SelfSigned);
            w.WriteString("sha256", f.Sha256);
            w.WriteStartArray("issuance_findings");
            foreach (var finding in f.IssuanceFindings) w.WriteStringValue(finding);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Nullable(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } v) w.WriteBoolean(name, v); else w.WriteNull(name);
    }
}
