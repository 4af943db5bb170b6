using System.Buffers;
using System.Text.Json;

namespace Tessera.Acme.Server;

/// <summary>The JSON of each ACME resource (RFC 8555 §7.1.2–7.1.6), written with one <see cref="Utf8JsonWriter"/> per response.</summary>
internal static class ResourceWriter
{
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Identifier(Utf8JsonWriter w, IdentifierRecord identifier)
    {
        w.WriteStartObject();
        w.WriteString("type", identifier.Type);
        w.WriteString("value", identifier.Value);
        w.WriteEndObject();
    }

    public static void Problem(Utf8JsonWriter w, string type, string detail, int? status)
    {
        w.WriteString("type", "urn:ietf:params:acme:error:" + type);
        w.WriteString("detail", detail);
        if (status is { } s) w.WriteNumber("status", s);
    }

    public static void Time(Utf8JsonWriter w, string name, DateTimeOffset time) =>
        w.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    public static void Challenge(Utf8JsonWriter w, ChallengeRecord challenge, Uri url)
    {
        w.WriteString("type", challenge.Type);
        w.WriteString("url", url.AbsoluteUri);
        w.WriteString("status", challenge.Status);
        w.WriteString("token", challenge.Token);
        if (challenge.Validated is { } validated) Time(w, "validated", validated);
        if (challenge.Error is { } error)
        {
            w.WriteStartObject("error");
            Problem(w, error.Type, error.Detail, error.Status);
            w.WriteEndObject();
        }
    }
}
