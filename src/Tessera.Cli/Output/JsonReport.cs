using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tessera.Cli.Settings;
using Tessera.Wire;

namespace Tessera.Cli.Output;

/// <summary>`tessera connect --json`: the same report as the trace, as one JSON document for scripts and tests.</summary>
internal static class JsonReport
{
    public static void Write(IAnsiConsole console, Endpoint target, IReadOnlyList<ConnectionReport> connections, string? verificationFailure) =>
        WriteDocument(console, target, connections, w => w.WriteString("verification", verificationFailure ?? "ok"));

    /// <summary>`connect --json` that failed: still one document, with the error (exit code and sentence) and the connections that did complete.</summary>
    public static void WriteFailure(IAnsiConsole console, Endpoint target, IReadOnlyList<ConnectionReport> connections, int exitCode, string message) =>
        WriteDocument(console, target, connections, w =>
        {
            w.WriteStartObject("error");
            w.WriteNumber("exit_code", exitCode);
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    /// <summary>The one document shape: target, the outcome <paramref name="outcome"/> writes, the tool, the connections.</summary>
    private static void WriteDocument(IAnsiConsole console, Endpoint target, IReadOnlyList<ConnectionReport> connections, Action<Utf8JsonWriter> outcome)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("target", target.ToString());
            outcome(w);
            w.WriteStartObject("tool");
            w.WriteString("version", ToolBuild.Version);
            w.WriteString("build", ToolBuild.Build);
            w.WriteString("framework", ToolBuild.Framework);
            w.WriteString("runtime_identifier", ToolBuild.RuntimeIdentifier);
            w.WriteString("crypto_provider", ToolBuild.Provider);
            w.WriteString("primitives", ToolBuild.Primitives);
            w.WriteEndObject();
            w.WriteStartArray("connections");
            foreach (var r in connections) WriteConnection(w, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteConnection(Utf8JsonWriter w, ConnectionReport r)
    {
        var c = r.Connection;
        w.WriteStartObject();
        w.WriteString("version", c.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v) : null);
        w.WriteString("cipher_suite", c.CipherSuite is { } s ? TlsNames.Of(s) : null);
        w.WriteString("group", c.KeyExchangeGroup is { } g ? TlsNames.Of(g) : null);
        w.WriteBoolean("hello_retry_request", c.HelloRetryRequested);
        w.WriteString("crypto_provider", c.CryptoProvider.Name);
        w.WriteString("signature_scheme", c.PeerSignatureScheme is { } sig ? TlsNames.Of(sig) : null);
        w.WriteString("alpn", c.ApplicationProtocol);
        w.WriteString("server_name", c.ServerName);
        w.WriteBoolean("resumed", c.WasResumed);
        w.WriteBoolean("extended_master_secret", c.ExtendedMasterSecret);
        if (c.ReceivedCertificateCompression is { } compression)
        {
            w.WriteStartObject("certificate_compression");
            w.WriteString("algorithm", Wire.TlsNames.Of(compression.Algorithm));
            w.WriteNumber("uncompressed_bytes", compression.UncompressedLength);
            w.WriteNumber("compressed_bytes", compression.CompressedLength);
            w.WriteNumber("bytes_saved", compression.BytesSaved);
            w.WriteEndObject();
        }
        else w.WriteNull("certificate_compression");
        if (c.EarlyDataAccepted is { } early) w.WriteBoolean("early_data_accepted", early); else w.WriteNull("early_data_accepted");
        w.WriteStartObject("timings_ms");
        w.WriteNumber("tcp_connect", Math.Round(r.TcpConnect.TotalMilliseconds, 3));
        if (r.ServerHello is { } sh) w.WriteNumber("server_hello", Math.Round(sh.TotalMilliseconds, 3));
        w.WriteNumber("handshake_complete", Math.Round(r.HandshakeComplete.TotalMilliseconds, 3));
        w.WriteEndObject();
        w.WriteBoolean("timings_include_first_use", r.FirstInProcess);
        if (r.FirstInProcess) w.WriteString("first_use", ToolBuild.FirstUseCosts);
        w.WriteStartArray("messages");
        foreach (var e in c.HandshakeEvents)
        {
            w.WriteStartObject();
            w.WriteString("kind", e.Kind.ToString());
            w.WriteString("direction", e.Direction == Diagnostics.TraceDirection.Sent ? "sent" : "received");
            w.WriteString("name", e.Name);
            w.WriteNumber("length", e.Length);
            w.WriteNumber("elapsed_ms", Math.Round(e.Elapsed.TotalMilliseconds, 3));
            w.WriteStartObject("fields");
            foreach (var f in e.Fields) w.WriteString(f.Key, f.Value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("chain");
        foreach (var cert in c.PeerCertificates)
        {
            w.WriteStartObject();
            w.WriteString("subject", cert.Subject);
            w.WriteString("issuer", cert.Issuer);
            w.WriteString("not_before", cert.NotBefore.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("not_after", cert.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteNumber("days_to_expiry", (int)Math.Floor((cert.NotAfter.ToUniversalTime() - r.At.UtcDateTime).TotalDays));
            w.WriteString("key", Crypto.KeyDescription.Of(cert));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
