using System.Globalization;
using Spectre.Console;
using Tessera.Cli.Output;

namespace Tessera.Cli.Scan;

/// <summary>`tessera scan` for a person: protocols, suites per version, groups, downgrade protection, notes.</summary>
internal static class ScanView
{
    public static void Write(IAnsiConsole console, ScanReport r)
    {
        var lines = new PlainLines(console);
        lines.Line(($"Scan of {r.Target}", Tone.Bold), ($" ({r.Address}{(r.ServerName is { } sni ? $", SNI {sni}" : "")}): {r.Connections} connections in {r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s", Tone.Grey));
        lines.Line();
        lines.Rule("Protocols");
        foreach (var v in r.Versions)
            lines.Line(($"  {v.Name,-8}  ", Tone.Plain), (v.Supported ? "offered" : "not offered", v.Supported ? LegacyTone(v) : Tone.Grey), (v.Supported ? "" : $"  ({v.Answer})", Tone.Grey));
        foreach (var s in r.Suites)
        {
            lines.Line();
            var order = s.ServerOrder switch
            {
                true => s.ChaCha20WhenClientPrefers == true ? "server's order, ChaCha20 first when the client prefers it" : "server's order",
                false => "client's order",
                null => "",
            };
            lines.Rule($"Cipher suites, {Name(s.Version)}{(order.Length > 0 ? $" ({order})" : "")}");
            foreach (var a in s.Accepted)
            {
                var tone = a.Info.IsInsecure ? Tone.Red : a.Info.IsWeak || !a.Info.IsForwardSecret || a.Info.IsCbc ? Tone.Blue : Tone.Plain;
                lines.Line(($"  {a.Info.IanaName,-46}", tone), ($" {a.Info.OpenSslName,-30} {a.Info.Bits,3} bits  {a.KeyExchange ?? (a.Info.IsForwardSecret ? "" : "static RSA")}", Tone.Grey));
            }
        }
        if (r.Groups.Count > 0)
        {
            lines.Line();
            lines.Rule("Key exchange groups");
            foreach (var g in r.Groups)
            {
                var names = new List<string>();
                foreach (var info in g.Accepted) names.Add(info.Name);
                lines.Line(($"  {Name(g.Version),-8}  ", Tone.Plain), (names.Count == 0 ? "none" : string.Join(", ", names), Tone.Plain));
            }
        }
        lines.Line();
        lines.Rule("Protocol features");
        Feature(lines, "TLS_FALLBACK_SCSV (RFC 7507)", r.FallbackScsvHonoured, "honoured", "ignored", "one version only");
        Feature(lines, "TLS 1.3 downgrade sentinel", r.DowngradeSentinel, "present", "missing", "not both TLS 1.3 and 1.2");
        Feature(lines, "Secure renegotiation (RFC 5746)", r.SecureRenegotiation, "supported", "not supported", "TLS 1.3 only");
        Feature(lines, "Extended master secret (RFC 7627)", r.ExtendedMasterSecret, "supported", "not supported", "TLS 1.3 only");
        if (r.Anomalies.Count > 0)
        {
            lines.Line();
            lines.Rule("Notes");
            foreach (var a in r.Anomalies) lines.Line(($"  {a}", Tone.Plain));
        }
    }

    private static void Feature(PlainLines lines, string name, bool? value, string yes, string no, string notApplicable) =>
        lines.Line(($"  {name,-36}", Tone.Plain), value switch
        {
            true => (yes, Tone.Green),
            false => (no, Tone.Red),
            null => ($"n/a ({notApplicable})", Tone.Grey),
        });

    private static Tone LegacyTone(VersionSupport v) => v.Version is Tessera.Wire.ProtocolVersion.Tls12 or Tessera.Wire.ProtocolVersion.Tls13 ? Tone.Green : Tone.Red;

    internal static string Name(Tessera.Wire.ProtocolVersion v) => Tessera.Wire.GroupNames.OfVersion((ushort)v);
}
