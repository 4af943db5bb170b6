using Spectre.Console;

namespace Tessera.Cli.Output;

/// <summary>The human-readable report of one `tessera connect` connection.</summary>
internal static class ConnectionView
{
    public static void Write(IAnsiConsole console, ConnectionReport r, int attempt, string? verificationFailure)
    {
        // Written through PlainLines rather than Spectre's renderables: see PlainLines for why it matters here.
        var lines = new PlainLines(console);
        var c = r.Connection;
        lines.Rule(attempt == 0 ? "connection 1" : $"connection {attempt + 1} ({(c.WasResumed ? "resumed" : "not resumed")})");
        HandshakeTraceView.Write(console, c.HandshakeEvents, localIsClient: true, showFields: true);
        console.Profile.Out.Writer.WriteLine();
        if (c.PeerCertificates.Count > 0 && !c.WasResumed)
        {
            WriteChain(lines, c.PeerCertificates, r.At, verificationFailure);
            console.Profile.Out.Writer.WriteLine();
        }
        var rows = new List<(string, string)>
        {
            ("version", c.NegotiatedVersion is { } v ? Wire.TlsNames.OfVersion((ushort)v) : "-"),
            ("cipher suite", c.CipherSuite is { } s ? Wire.TlsNames.Of(s) : "-"),
            ("key exchange", c.KeyExchangeGroup is { } g ? Wire.TlsNames.Of(g) : "-"),
            ("crypto provider", c.CryptoProvider.Name),
            ("server signature", c.PeerSignatureScheme is { } sig ? Wire.TlsNames.Of(sig) : c.WasResumed ? "none (resumed)" : "-"),
            ("ALPN", c.ApplicationProtocol ?? "none"),
            ("resumed", c.WasResumed ? "yes" : "no"),
        };
        // TLS 1.2 only (TLS 1.3 always binds the transcript): without it the session is not resumable and has no exporters.
        if (c.NegotiatedVersion == Wire.ProtocolVersion.Tls12)
            rows.Add(("extended master secret", c.ExtendedMasterSecret ? "yes" : "no (not resumable, no exporters; RFC 7627)"));
        // RFC 8879: TLS 1.3 only; a resumed handshake sends no certificate.
        if (c.NegotiatedVersion == Wire.ProtocolVersion.Tls13 && !c.WasResumed)
            rows.Add(("certificate compression", c.ReceivedCertificateCompression?.ToString() ?? "none"));
        rows.Add(("early data", c.EarlyDataAccepted switch { true => "accepted", false => "rejected", null => "not sent" }));
        rows.Add(("client certificate", c.LocalCertificate?.Leaf.Subject ?? "none"));
        lines.Table("negotiated", "value", rows);
        lines.Line(("TCP connect", Tone.Grey), ($" {NegotiatedView.Milliseconds(r.TcpConnect)}  ", Tone.Plain),
            ("ServerHello", Tone.Grey), ($" {(r.ServerHello is { } sh ? NegotiatedView.Milliseconds(sh) : "-")}  ", Tone.Plain),
            ("handshake complete", Tone.Grey), ($" {NegotiatedView.Milliseconds(r.HandshakeComplete)}{(r.FirstInProcess ? " *" : "")}", Tone.Plain));
        // The first handshake in a process pays for what later ones find ready; say so rather than let the figure pass
        // for the network's and the server's time.
        if (r.FirstInProcess)
            lines.Wrapped(2, "* ", ($"first handshake in this process: its times include {ToolBuild.FirstUseCosts}.", Tone.Grey));
    }

    /// <summary>The chain as a tree, leaf first, drawn as Spectre's Tree draws one (└── per level, wrapped under its branch).</summary>
    private static void WriteChain(PlainLines lines, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain,
        DateTimeOffset now, string? failure)
    {
        if (failure is null) lines.Line(("certificate chain: trusted", Tone.Green));
        else lines.Wrapped(0, ("certificate chain: refused", Tone.Red), ($"({failure})", Tone.Grey));
        for (var i = 0; i < chain.Count; i++)
        {
            var text = ChainView.Describe(chain[i], now, out var ok);
            lines.Wrapped(4 * (i + 1), new string(' ', 4 * i) + "└── ", (text, ok ? Tone.Plain : Tone.Red));
        }
    }
}
