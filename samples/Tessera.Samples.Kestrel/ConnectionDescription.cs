using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore;
using Tessera.Wire;

namespace Tessera.Samples.Kestrel;

/// <summary>The JSON page: HTTP protocol, what TLS negotiated (from Tessera's feature) and the client certificate (from ASP.NET Core's).</summary>
internal static class ConnectionDescription
{
    public static async Task Write(HttpContext context)
    {
        var tls = context.Features.Get<ITesseraTlsFeature>();
        var client = context.Connection.ClientCertificate;
        var server = tls?.Connection.LocalCertificate?.Leaf;
        context.Response.ContentType = "application/json";
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("protocol", context.Request.Protocol);
        w.WriteString("tlsVersion", tls is null ? null : TlsNames.OfVersion((ushort)tls.Version));
        w.WriteString("cipherSuite", tls is null ? null : TlsNames.Of(tls.CipherSuite));
        w.WriteString("group", tls?.KeyExchangeGroup is { } g ? TlsNames.Of(g) : null);
        w.WriteString("alpn", tls?.Connection.ApplicationProtocol);
        w.WriteBoolean("resumed", tls?.WasResumed ?? false);
        w.WriteBoolean("helloRetryRequest", tls?.HelloRetryRequested ?? false);
        w.WriteString("earlyData", tls?.EarlyDataAccepted switch { true => "accepted", false => "rejected", null => "none" });
        w.WriteBoolean("isEarlyData", EarlyDataApplicationBuilderExtensions.IsEarlyData(context));   // this request came in 0-RTT
        w.WriteString("serverName", tls?.ServerName);
        w.WriteString("serverCertificate", server?.Subject);
        w.WriteString("serverCertificateSerial", server?.SerialNumber);
        w.WriteString("clientCertificate", client?.Subject);
        w.WriteEndObject();
        w.Flush();
        context.Response.ContentLength = body.WrittenCount;   // one write with a length, not a chunked stream
        await context.Response.Body.WriteAsync(body.WrittenMemory);
    }
}
