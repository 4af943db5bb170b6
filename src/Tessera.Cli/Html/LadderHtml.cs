using System.Globalization;
using Tessera.Cli.Output;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Cli.Html;

/// <summary>
/// The handshake as the sequence diagram every TLS tutorial draws, but of a real connection: client and server as two
/// columns, each message an arrow (in order, with its time and size) coloured by the keys protecting it (plaintext,
/// early data, handshake keys, application keys), the moments keys change marked on the side that changes them, and
/// each arrow a link to its message below — a <c>details</c> element (no script needed) with the decoded fields the
/// terminal trace shows and a sentence on what the message is for. Then the chain, what was negotiated and the times.
/// Drawn from the client's trace (`connect`, `demo`): Sent is client to server.
/// </summary>
internal static class LadderHtml
{
    private const int Width = 760, ClientX = 150, ServerX = 690, Top = 56, MessageRow = 46, KeyRow = 24;

    /// <summary>One connection to draw: its report, the verifier's refusal if any, and a heading.</summary>
    public sealed record Connection(ConnectionReport Report, string? VerificationFailure, string Heading);

    public static string Render(string title, string? subtitle, IReadOnlyList<Connection> connections)
    {
        var h = new HtmlWriter();
        h.Raw("<main>").Open("header", ("class", "page")).Element("h1", title);
        if (subtitle is not null) h.Element("p", subtitle, "meta");
        h.Close("header");
        for (var i = 0; i < connections.Count; i++) Write(h, connections[i], $"c{i + 1}");
        Legend(h);
        h.Open("footer").Text($"Made by tessera {ToolBuild.Version}. Times are from the client's start of the handshake; sizes are each message's bytes on the wire.").Close("footer");
        h.Raw("</main>");
        return HtmlWriter.Page(title, ReportStyle.Css, h.ToString());
    }

    private enum Level { Plaintext, EarlyData, Handshake, Application }

    private static Level LevelOf(string keysText, Level current) =>
        keysText.Contains("plaintext", StringComparison.Ordinal) ? Level.Plaintext
        : keysText.Contains("early", StringComparison.Ordinal) && !keysText.Contains("rejected", StringComparison.Ordinal) ? Level.EarlyData
        : keysText.Contains("handshake", StringComparison.Ordinal) ? Level.Handshake
        : keysText.Contains("application", StringComparison.Ordinal) || keysText.Contains("traffic", StringComparison.Ordinal) ? Level.Application
        // TLS 1.2 has one set of keys per direction, switched to by ChangeCipherSpec: the session's keys from then on.
        : keysText.Contains("keys", StringComparison.Ordinal) ? Level.Application
        : current;

    private static (string Colour, string Name) Style(Level level) => level switch
    {
        Level.EarlyData => ("#8250df", "early data keys"),
        Level.Handshake => ("#9a6700", "handshake keys"),
        Level.Application => ("#1a7f37", "application keys"),
        _ => ("#57606a", "plaintext"),
    };

    private static void Write(HtmlWriter h, Connection connection, string prefix)
    {
        var c = connection.Report.Connection;
        var events = c.HandshakeEvents;
        h.Open("section", ("id", prefix), ("class", "connection")).Element("h2", connection.Heading);
        // The ladder: first pass sizes it, second draws it.
        var height = Top + 16;
        foreach (var e in events) height += e.Kind == HandshakeEventKind.KeysChanged ? KeyRow : MessageRow;
        var inv = CultureInfo.InvariantCulture;
        h.Open("svg", ("class", "ladder"), ("viewBox", $"0 0 {Width} {height}"), ("role", "img"), ("aria-label", $"{connection.Heading}: {Count(events)} messages between client and server"));
        Text(h, ClientX, 22, "Client", "middle", "15", "700", "#1d2329");
        Text(h, ServerX, 22, "Server", "middle", "15", "700", "#1d2329");
        Text(h, ServerX, 40, connection.Report.Connection.ServerName ?? "", "middle", "11", "400", "#5d6670");
        Line(h, ClientX, 30, ClientX, height - 4, "#8c959f", "2");
        Line(h, ServerX, 46, ServerX, height - 4, "#8c959f", "2");
        var up = Level.Plaintext;     // client to server
        var down = Level.Plaintext;   // server to client
        var y = Top;
        var index = 0;
        foreach (var e in events)
        {
            if (e.Kind == HandshakeEventKind.KeysChanged)
            {
                // The client's trace: "writing with …" changes what the client sends, "reading with …" what it receives.
                if (e.Direction == TraceDirection.Sent) up = LevelOf(e.Name, up);
                else down = LevelOf(e.Name, down);
                var (colour, _) = Style(e.Direction == TraceDirection.Sent ? up : down);
                h.Open("circle", ("cx", $"{ClientX}"), ("cy", (y + 10).ToString(inv)), ("r", "5"), ("fill", colour)).Close("circle");
                // Beside the client's lane, inside the ladder: the client is the side whose trace this is.
                Text(h, ClientX + 12, y + 14, $"client {e.Name}", "start", "11", "400", colour);
                y += KeyRow;
                continue;
            }
            index++;
            var fromClient = e.Direction == TraceDirection.Sent;
            // A ChangeCipherSpec record is never protected (TLS 1.2 switches after it; TLS 1.3's is a plaintext no-op).
            var level = e.Kind == HandshakeEventKind.ChangeCipherSpec ? Level.Plaintext : fromClient ? up : down;
            var (lineColour, levelName) = Style(level);
            var alert = e.Kind == HandshakeEventKind.Alert && !e.Name.Contains("close_notify", StringComparison.Ordinal);
            if (alert) lineColour = "#cf222e";
            var (x1, x2) = fromClient ? (ClientX, ServerX) : (ServerX, ClientX);
            var arrowY = y + 30;
            h.Open("a", ("href", $"#{prefix}-m{index}"), ("class", "message"));
            h.Open("title").Text($"{Name(e)}, {e.Length} bytes, {levelName}").Close("title");
            Line(h, x1, arrowY, x2, arrowY, lineColour, e.Kind == HandshakeEventKind.ChangeCipherSpec ? "1.5" : "2.5", e.Kind == HandshakeEventKind.ChangeCipherSpec ? "5 4" : null);
            var head = fromClient ? $"{x2 - 10},{arrowY - 6} {x2},{arrowY} {x2 - 10},{arrowY + 6}" : $"{x2 + 10},{arrowY - 6} {x2},{arrowY} {x2 + 10},{arrowY + 6}";
            h.Open("polygon", ("points", head), ("fill", lineColour)).Close("polygon");
            Text(h, (ClientX + ServerX) / 2, arrowY - 7, $"{Name(e)}  ·  {e.Length.ToString("N0", inv)} B", "middle", "13", "600", alert ? "#cf222e" : "#1d2329");
            h.Close("a");
            Text(h, 6, arrowY + 4, $"{e.Elapsed.TotalMilliseconds.ToString("0.00", inv)} ms", "start", "11", "400", "#5d6670");
            y += MessageRow;
        }
        h.Close("svg");

        // Each message, opened to its fields.
        h.Element("h3", "Messages");
        up = down = Level.Plaintext;
        index = 0;
        foreach (var e in events)
        {
            if (e.Kind == HandshakeEventKind.KeysChanged)
            {
                if (e.Direction == TraceDirection.Sent) up = LevelOf(e.Name, up);
                else down = LevelOf(e.Name, down);
                continue;
            }
            index++;
            var fromClient = e.Direction == TraceDirection.Sent;
            var (_, levelName) = Style(e.Kind == HandshakeEventKind.ChangeCipherSpec ? Level.Plaintext : fromClient ? up : down);
            h.Open("details", ("id", $"{prefix}-m{index}"), ("class", "message")).Open("summary")
                .Element("span", $"{e.Elapsed.TotalMilliseconds.ToString("0.00", inv)} ms ", "muted")
                .Element("strong", $"{(fromClient ? "C → S" : "S → C")}  {Name(e)}")
                .Element("span", $" {e.Length.ToString("N0", inv)} bytes · {levelName}", "muted")
                .Close("summary").Open("div");
            if (MessageNotes.For(e, fromClient) is { } note) h.Element("p", note, "muted");
            if (e.Fields.Count > 0)
            {
                h.Open("dl", ("class", "kv"));
                foreach (var f in e.Fields) h.Element("dt", f.Key).Open("dd").Element("code", f.Value).Close("dd");
                h.Close("dl");
            }
            h.Close("div").Close("details");
        }

        if (c.PeerCertificates.Count > 0 && !c.WasResumed)
        {
            h.Element("h3", "Certificate chain").Element("p", connection.VerificationFailure is null ? "trusted" : $"refused: {connection.VerificationFailure}", connection.VerificationFailure is null ? "good" : "bad");
            h.Open("ul", ("class", "tree"));
            for (var i = 0; i < c.PeerCertificates.Count; i++)
            {
                var text = ChainView.Describe(c.PeerCertificates[i], connection.Report.At, out var ok);
                h.Open("li").Element("div", text, ok ? "cert" : "cert bad");
                if (i < c.PeerCertificates.Count - 1) h.Open("ul");
            }
            for (var i = c.PeerCertificates.Count - 1; i >= 0; i--)
            {
                h.Close("li");
                if (i > 0) h.Close("ul");
            }
            h.Close("ul");
        }
        h.Element("h3", "Negotiated").Open("dl", ("class", "kv"));
        void Row(string k, string v) => h.Element("dt", k).Element("dd", v);
        Row("version", c.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v) : "-");
        Row("cipher suite", c.CipherSuite is { } s ? TlsNames.Of(s) : "-");
        Row("key exchange", c.KeyExchangeGroup is { } g ? TlsNames.Of(g) : "-");
        Row("server signature", c.PeerSignatureScheme is { } sig ? TlsNames.Of(sig) : c.WasResumed ? "none (resumed)" : "-");
        Row("ALPN", c.ApplicationProtocol ?? "none");
        Row("resumed", c.WasResumed ? "yes" : "no");
        Row("HelloRetryRequest", c.HelloRetryRequested ? "yes" : "no");
        Row("early data", c.EarlyDataAccepted switch { true => "accepted", false => "rejected", null => "not sent" });
        Row("TCP connect", NegotiatedView.Milliseconds(connection.Report.TcpConnect));
        Row("ServerHello", connection.Report.ServerHello is { } sh ? NegotiatedView.Milliseconds(sh) : "-");
        Row("handshake complete", NegotiatedView.Milliseconds(connection.Report.HandshakeComplete));
        h.Close("dl").Close("section");
    }

    /// <summary>The name a tutorial gives the message: a HelloRetryRequest is drawn as one, though on the wire it is a ServerHello.</summary>
    private static string Name(HandshakeEvent e) => MessageNotes.IsRetry(e) ? "HelloRetryRequest" : e.Name;

    private static int Count(IReadOnlyList<HandshakeEvent> events)
    {
        var n = 0;
        foreach (var e in events) if (e.Kind != HandshakeEventKind.KeysChanged) n++;
        return n;
    }

    private static void Legend(HtmlWriter h)
    {
        h.Open("section", ("id", "legend")).Element("h2", "Reading the diagram").Open("dl", ("class", "kv"));
        foreach (var level in new[] { Level.Plaintext, Level.EarlyData, Level.Handshake, Level.Application })
        {
            var (colour, name) = Style(level);
            h.Open("dt").Open("svg", ("width", "40"), ("height", "10"), ("aria-hidden", "true"));
            Line(h, 0, 5, 40, 5, colour, "3");
            h.Close("svg").Close("dt").Element("dd", level switch
            {
                Level.Plaintext => "plaintext: anyone on the path reads it (the hellos, TLS 1.2's key exchange)",
                Level.EarlyData => "0-RTT: encrypted with keys from an earlier session, sent before the server answers (replayable)",
                Level.Handshake => "handshake keys (TLS 1.3): secret from everyone but not yet proven to be the server's",
                _ => "application keys: the session's traffic keys, after Finished",
            });
        }
        h.Element("dt", "dashed").Element("dd", "ChangeCipherSpec: TLS 1.2's switch to the new keys, or TLS 1.3's no-op for middleboxes");
        h.Element("dt", "red").Element("dd", "an alert that ends the connection");
        h.Close("dl").Close("section");
    }

    private static void Text(HtmlWriter h, int x, int y, string text, string anchor, string size, string weight, string fill) =>
        h.Open("text", ("x", x.ToString(CultureInfo.InvariantCulture)), ("y", y.ToString(CultureInfo.InvariantCulture)), ("text-anchor", anchor),
            ("font-size", size), ("font-weight", weight), ("fill", fill), ("font-family", "system-ui, sans-serif")).Text(text).Close("text");

    private static void Line(HtmlWriter h, int x1, int y1, int x2, int y2, string stroke, string width, string? dash = null) =>
        h.Open("line", ("x1", x1.ToString(CultureInfo.InvariantCulture)), ("y1", y1.ToString(CultureInfo.InvariantCulture)), ("x2", x2.ToString(CultureInfo.InvariantCulture)),
            ("y2", y2.ToString(CultureInfo.InvariantCulture)), ("stroke", stroke), ("stroke-width", width), ("stroke-dasharray", dash)).Close("line");
}
