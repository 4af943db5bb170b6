using Spectre.Console;

namespace Tessera.Cli.Output;

/// <summary>The human-readable report of one `tessera connect` connection.</summary>
internal static class ConnectionView
{
    public static void Write(IAnsiConsole console, ConnectionReport r, int attempt, string? verificationFailure)
    {
        var c = r.Connection;
        var title = attempt == 0 ? "connection 1" : $"connection {attempt + 1} ({(c.WasResumed ? "resumed" : "not resumed")})";
        console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
        HandshakeTraceView.Write(console, c.HandshakeEvents, localIsClient: true, showFields: true);
        console.WriteLine();
        if (c.PeerCertificates.Count > 0 && !c.WasResumed)
        {
            console.Write(ChainView.Build(c.PeerCertificates, r.At, verificationFailure));
            console.WriteLine();
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("negotiated").AddColumn("value");
        void Add(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Add("version", c.NegotiatedVersion is { } v ? Wire.GroupNames.OfVersion((ushort)v) : "-");
        Add("cipher suite", c.CipherSuite is { } s ? Wire.GroupNames.Of(s) : "-");
        Add("key exchange", c.KeyExchangeGroup is { } g ? Wire.GroupNames.Of(g) : "-");
        Add("server signature", c.PeerSignatureScheme is { } sig ? Wire.GroupNames.Of(sig) : c.WasResumed ? "none (resumed)" : "-");
        Add("ALPN", c.ApplicationProtocol ?? "none");
        Add("resumed", c.WasResumed ? "yes" : "no");
        // TLS 1.2 only (TLS 1.3 always binds the transcript): without it the session is not resumable and has no exporters.
        if (c.NegotiatedVersion == Wire.ProtocolVersion.Tls12)
            Add("extended master secret", c.ExtendedMasterSecret ? "yes" : "no (not resumable, no exporters; RFC 7627)");
        Add("early data", c.EarlyDataAccepted switch { true => "accepted", false => "rejected", null => "not sent" });
        Add("client certificate", c.LocalCertificate?.Leaf.Subject ?? "none");
        console.Write(table);
        console.MarkupLine(
            $"[grey]TCP connect[/] {NegotiatedView.Milliseconds(r.TcpConnect)}  " +
            $"[grey]ServerHello[/] {(r.ServerHello is { } sh ? NegotiatedView.Milliseconds(sh) : "-")}  " +
            $"[grey]handshake complete[/] {NegotiatedView.Milliseconds(r.HandshakeComplete)}");
    }
}
