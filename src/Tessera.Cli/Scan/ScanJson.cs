using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Scan;
using Tessera.Wire;

namespace Tessera.Cli.Scan;

/// <summary>
/// `tessera scan --json`: the whole report as one document, in the shape docs/scan-report.schema.json describes. The
/// report is mapped onto the records below and written by System.Text.Json's source generator (AOT-clean, no
/// reflection), so the document's shape is declared once, as types, and property names follow one rule (snake_case).
/// </summary>
internal static class ScanJson
{
    public const int SchemaVersion = 1;

    private static readonly ScanJsonContext Context = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Names, problems and header values are the server's text: escaped as JSON requires, but not as HTML would.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write(IAnsiConsole console, ScanReport r) => console.Profile.Out.Writer.WriteLine(ToJson(r));

    public static string ToJson(ScanReport r) => JsonSerializer.Serialize(DocumentOf(r), Context.ScanDocument);

    /// <summary>A scan that could not run, still as one document (the schema's failure branch), so a pipeline always gets JSON.</summary>
    public static void WriteFailure(IAnsiConsole console, string target, ScanFailure failure, int exitCode, string message) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
            new ScanFailureDocument(SchemaVersion, target, ToolBuild.Version, new ScanErrorJson(failure == ScanFailure.NoTls ? "no_tls" : "connect", exitCode, message)),
            Context.ScanFailureDocument));

    private static ScanDocument DocumentOf(ScanReport r)
    {
        var grade = Grader.Grade(r);
        var caps = new List<CapJson>(grade.Caps.Count);
        foreach (var cap in grade.Caps) caps.Add(new CapJson(GradeResult.Text(cap.Max), cap.Reason, cap.Rule, cap.Id));
        var findings = new List<FindingJson>();
        foreach (var f in Grader.Findings(r, grade)) findings.Add(new FindingJson(f.Id, f.Severity.ToString().ToLowerInvariant(), f.Text, f.Rule));
        var versions = new List<VersionJson>(r.Versions.Count);
        foreach (var v in r.Versions) versions.Add(new VersionJson(v.Name, (ushort)v.Version, v.Supported, v.Answer));
        var suites = new List<SuitesJson>(r.Suites.Count);
        foreach (var s in r.Suites)
        {
            var accepted = new List<SuiteJson>(s.Accepted.Count);
            foreach (var a in s.Accepted)
                accepted.Add(new SuiteJson(a.Info.IanaName, a.Info.OpenSslName, $"0x{a.Info.Id:x4}", a.Info.Bits, a.Info.IsForwardSecret, a.Info.IsAead,
                    a.Info.IsInsecure ? "insecure" : a.Info.IsWeak ? "weak" : "strong", a.KeyExchange, a.DhBits));
            suites.Add(new SuitesJson(ScanView.Name(s.Version), s.ServerOrder, s.ChaCha20WhenClientPrefers, accepted));
        }
        var groups = new List<GroupsJson>(r.Groups.Count);
        foreach (var g in r.Groups)
        {
            var accepted = new List<GroupJson>(g.Accepted.Count);
            foreach (var info in g.Accepted) accepted.Add(new GroupJson(info.Name, $"0x{info.Id:x4}", info.Bits, info.IsPostQuantum));
            groups.Add(new GroupsJson(ScanView.Name(g.Version), accepted, g.Note));
        }
        var chains = new List<ChainJson>(r.Chains.Count);
        foreach (var c in r.Chains) chains.Add(Chain(c, r.Started));
        HandshakeJson? handshake = null;
        if (r.Handshake is { } hf)
        {
            var schemes = new List<SchemesJson>(hf.SignatureSchemes.Count);
            foreach (var (version, accepted) in hf.SignatureSchemes) schemes.Add(new SchemesJson(ScanView.Name(version), accepted));
            handshake = new HandshakeJson(schemes, hf.RetryGroup, hf.RetryCookie, hf.RetryForPreferredGroup, hf.RecordSizeLimitTls12, hf.RecordSizeLimitTls13, hf.CertificateCompression);
        }
        return new ScanDocument(
            SchemaVersion, r.Target, r.Address, r.ServerName, r.Started, Math.Round(r.Elapsed.TotalMilliseconds, 1), r.Connections, ToolBuild.Version,
            new GradeJson(grade.Grade, grade.GradeIgnoringCertificate, grade.CertificateOutcome, grade.Score, grade.ProtocolScore, grade.KeyExchangeScore, grade.CipherScore, caps),
            findings, versions, suites, groups, chains,
            new FeaturesJson(r.FallbackScsvHonoured, r.DowngradeSentinel, r.SecureRenegotiation, r.ExtendedMasterSecret, r.Compression, r.Heartbeat),
            handshake,
            r.Hsts is { } hsts ? new HstsJson(hsts.Present, hsts.MaxAgeSeconds, hsts.IncludeSubDomains, hsts.Preload) : null,
            r.Resumption is { } res
                ? new ResumptionJson(res.Tls13Tickets, res.Tls13TicketLifetimeSeconds, res.Tls13MaxEarlyData, res.Tls13Resumed, res.EarlyDataAccepted,
                    res.ReplayedEarlyDataAccepted, res.Tls12TicketIssued, res.Tls12TicketLifetimeSeconds, res.Tls12TicketResumed, res.Tls12SessionIdResumed, res.Alpn, res.Notes)
                : null,
            r.Anomalies);
    }

    private static ChainJson Chain(ChainReport c, DateTimeOffset now)
    {
        var trust = new Dictionary<string, TrustJson>(StringComparer.Ordinal);
        foreach (var v in c.Verdicts) trust[v.Profile] = new TrustJson(v.Trusted, v.Problem);
        var certificates = new List<CertificateJson>(c.Certificates.Count);
        foreach (var f in c.Certificates)
            certificates.Add(new CertificateJson(f.Subject, f.Issuer, f.Key, f.KeyAlgorithm, f.KeyBits, f.SignatureAlgorithm, f.NotBefore, f.NotAfter,
                f.SubjectAltNames, f.OcspUrls, f.CrlUrls, f.MustStaple, f.SelfSigned, f.Sha256, f.IssuanceFindings));
        return new ChainJson(c.Sni, c.Source, c.Host, c.NameMatches, c.Expired(now), trust,
            c.Staple is { } s ? new StapleJson(s.Status, s.ThisUpdate, s.NextUpdate) : null, certificates);
    }

}

// The document's shape, member order as written (snake_case by the context's naming policy). Nulls are written as null.
internal sealed record ScanDocument(
    int SchemaVersion, string Target, string Address, string? ServerName, DateTimeOffset Started, double ElapsedMs, int Connections, string ToolVersion,
    GradeJson Grade, List<FindingJson> Findings, List<VersionJson> Versions, List<SuitesJson> CipherSuites, List<GroupsJson> Groups,
    List<ChainJson> Certificates, FeaturesJson Features, HandshakeJson? Handshake, HstsJson? Hsts, ResumptionJson? Resumption, List<string> Notes);

internal sealed record GradeJson(string Grade, string GradeIgnoringCertificate, string? CertificateOutcome, int Score, int ProtocolScore, int KeyExchangeScore, int CipherScore, List<CapJson> Caps);

internal sealed record CapJson(string Max, string Reason, string Rule, string Id);

internal sealed record FindingJson(string Id, string Severity, string Text, string? Rule);

internal sealed record VersionJson(string Name, ushort Code, bool Supported, string Answer);

internal sealed record SuitesJson(string Version, bool? ServerOrder, [property: JsonPropertyName("chacha20_when_client_prefers")] bool? ChaCha20WhenClientPrefers, List<SuiteJson> Accepted);

internal sealed record SuiteJson(string Iana, string Openssl, string Code, int Bits, bool ForwardSecret, bool Aead, string Strength, string? KeyExchange, int? DhBits);

internal sealed record GroupsJson(string Version, List<GroupJson> Accepted, string? Note);

internal sealed record GroupJson(string Name, string Code, int Bits, bool PostQuantum);

internal sealed record ChainJson(string? Sni, string Source, string Host, bool NameMatches, bool Expired, Dictionary<string, TrustJson> Trust, StapleJson? StapledOcsp, List<CertificateJson> Chain);

internal sealed record TrustJson(bool Trusted, string? Problem);

internal sealed record StapleJson(string Status, DateTimeOffset? ThisUpdate, DateTimeOffset? NextUpdate);

internal sealed record CertificateJson(
    string Subject, string Issuer, string Key, string KeyAlgorithm, int KeyBits, string SignatureAlgorithm, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    List<string> SubjectAltNames, List<string> OcspUrls, List<string> CrlUrls, bool MustStaple, bool SelfSigned, string Sha256, List<string> IssuanceFindings);

internal sealed record FeaturesJson(bool? FallbackScsvHonoured, bool? DowngradeSentinel, bool? SecureRenegotiation, bool? ExtendedMasterSecret, bool? Compression, bool? Heartbeat);

internal sealed record SchemesJson(string Version, List<string> Accepted);

internal sealed record HandshakeJson(
    List<SchemesJson> SignatureSchemes, string? HelloRetryGroup, bool? HelloRetryCookie, bool? HelloRetryForPreferredGroup,
    [property: JsonPropertyName("record_size_limit_tls12")] ushort? RecordSizeLimitTls12,
    [property: JsonPropertyName("record_size_limit_tls13")] ushort? RecordSizeLimitTls13,
    List<string>? CertificateCompression);

internal sealed record HstsJson(bool Present, [property: JsonPropertyName("max_age_s")] long? MaxAgeS, bool IncludeSubdomains, bool Preload);

internal sealed record ResumptionJson(
    [property: JsonPropertyName("tls13_tickets")] int? Tls13Tickets,
    [property: JsonPropertyName("tls13_ticket_lifetime_s")] uint? Tls13TicketLifetimeS,
    [property: JsonPropertyName("tls13_max_early_data")] uint? Tls13MaxEarlyData,
    [property: JsonPropertyName("tls13_resumed")] bool? Tls13Resumed,
    bool? EarlyDataAccepted, bool? ReplayedEarlyDataAccepted,
    [property: JsonPropertyName("tls12_ticket_issued")] bool? Tls12TicketIssued,
    [property: JsonPropertyName("tls12_ticket_lifetime_s")] uint? Tls12TicketLifetimeS,
    [property: JsonPropertyName("tls12_ticket_resumed")] bool? Tls12TicketResumed,
    [property: JsonPropertyName("tls12_session_id_resumed")] bool? Tls12SessionIdResumed,
    List<string> Alpn, List<string> Notes);

/// <summary>The source-generated serializer for the scan document (no reflection: the Native AOT tool needs none).</summary>
internal sealed record ScanFailureDocument(int SchemaVersion, string Target, string ToolVersion, ScanErrorJson Error);

internal sealed record ScanErrorJson(string Kind, int ExitCode, string Message);

[JsonSerializable(typeof(ScanDocument))]
[JsonSerializable(typeof(ScanFailureDocument))]
internal sealed partial class ScanJsonContext : JsonSerializerContext;
