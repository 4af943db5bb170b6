using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tessera.Diagnostics;
using Tessera.Proxy;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera proxy`'s log: one line per connection when it ends (and in http mode one per request, an access log), as text (through <see cref="ServeLog"/>: "TIME LEVEL
/// client=… outcome=…") or as one JSON object per line. A completed connection is info, any other outcome warn.
/// </summary>
internal sealed class ProxyLog(TextWriter writer, bool json)
{
    private readonly ServeLog _text = new(writer, verbose: false);

    public void Connection(ProxyConnectionRecord r)
    {
        if (json) WriteJson(r);
        else if (r.Outcome == ProxyOutcome.Completed) _text.Info(Text(r));
        else _text.Warn(Text(r));
    }

    public void Request(ProxyRequestRecord r)
    {
        if (json) WriteJson(r);
        else if (r.BackendError is null) _text.Info(Text(r));
        else _text.Warn(Text(r));
    }

    private static string Text(ProxyRequestRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"client={r.Client} request=\"{r.Method} {PeerText.Clip(r.Path, 256)} {r.Protocol}\" host={PeerText.Clip(r.Host, 64)} status={r.Status} " +
        $"duration={r.Duration.TotalMilliseconds:0.0}ms{(r.BackendError is null ? "" : $" backend_error=\"{r.BackendError}\"")}");

    private void WriteJson(ProxyRequestRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("level", r.BackendError is null ? "info" : "warn");
            w.WriteString("client", r.Client.ToString());
            w.WriteString("protocol", r.Protocol);
            w.WriteString("method", PeerText.Clip(r.Method, 32));
            w.WriteString("host", PeerText.Clip(r.Host, 64));
            w.WriteString("path", PeerText.Clip(r.Path, 256));
            w.WriteNumber("status", r.Status);
            if (r.BackendError is not null) w.WriteString("backend_error", r.BackendError);
            w.WriteNumber("duration_ms", Math.Round(r.Duration.TotalMilliseconds, 3));
            w.WriteEndObject();
        }
        WriteLine(buffer);
    }

    private static string Text(ProxyConnectionRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"client={r.Client} outcome={Outcome(r.Outcome)} sni={(r.ServerName is null ? "-" : PeerText.Clip(r.ServerName, 64))} " +
        $"version={(r.Version ?? "-").Replace(" ", "", StringComparison.Ordinal)} suite={r.CipherSuite ?? "-"} " +
        $"alpn={(r.Alpn is null ? "-" : PeerText.Clip(r.Alpn, 64))} resumed={(r.Resumed ? "yes" : "no")} " +
        $"up={r.BytesFromClient} down={r.BytesToClient} handshake={(r.Handshake is { } h ? $"{h.TotalMilliseconds:0.0}ms" : "-")} " +
        $"duration={r.Duration.TotalMilliseconds:0.0}ms{EarlyText(r)}{(r.Detail is null ? "" : $" detail=\"{r.Detail}\"")}");

    /// <summary>" 0rtt=accepted early=N" or " 0rtt=refused" when the client offered 0-RTT data; nothing otherwise.</summary>
    private static string EarlyText(ProxyConnectionRecord r) => r.EarlyDataAccepted switch
    {
        true => string.Create(CultureInfo.InvariantCulture, $" 0rtt=accepted early={r.EarlyData}"),
        false => " 0rtt=refused",
        null => "",
    };

    private void WriteJson(ProxyConnectionRecord r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("level", r.Outcome == ProxyOutcome.Completed ? "info" : "warn");
            w.WriteString("client", r.Client.ToString());
            w.WriteString("outcome", Outcome(r.Outcome));
            if (r.Detail is not null) w.WriteString("detail", r.Detail);
            w.WriteString("sni", r.ServerName is null ? null : PeerText.Clip(r.ServerName, 64));
            w.WriteString("version", r.Version);
            w.WriteString("cipher_suite", r.CipherSuite);
            w.WriteString("alpn", r.Alpn is null ? null : PeerText.Clip(r.Alpn, 64));
            w.WriteBoolean("resumed", r.Resumed);
            w.WriteNumber("bytes_from_client", r.BytesFromClient);
            w.WriteNumber("bytes_to_client", r.BytesToClient);
            if (r.EarlyDataAccepted is { } accepted) w.WriteString("early_data", accepted ? "accepted" : "refused");
            w.WriteNumber("early_data_bytes", r.EarlyData);
            if (r.Handshake is { } h) w.WriteNumber("handshake_ms", Math.Round(h.TotalMilliseconds, 3));
            w.WriteNumber("duration_ms", Math.Round(r.Duration.TotalMilliseconds, 3));
            w.WriteEndObject();
        }
        WriteLine(buffer);
    }

    private void WriteLine(ArrayBufferWriter<byte> buffer)
    {
        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Outcome(ProxyOutcome o) => ProxyOutcomeNames.Of(o);
}
