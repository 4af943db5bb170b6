using System.Text;
using System.Text.Json;

namespace Tessera.Acme.Server;

/// <summary>
/// A request body as ACME sends it (RFC 8555 §6.2): a flattened JWS (RFC 7515 §7.2.2) with a protected header only.
/// Parsing checks the shape; <see cref="AcmeServer"/> then checks the nonce, the url, the key and the signature.
/// </summary>
internal sealed class SignedRequest
{
    private SignedRequest(JsonElement header, string protectedPart, string payloadPart, byte[] signature, byte[] payload)
    {
        Header = header;
        ProtectedPart = protectedPart;
        PayloadPart = payloadPart;
        Signature = signature;
        Payload = payload;
    }

    public JsonElement Header { get; }
    public string ProtectedPart { get; }
    public string PayloadPart { get; }
    public byte[] Signature { get; }

    /// <summary>The payload's bytes; empty for POST-as-GET (§6.3).</summary>
    public byte[] Payload { get; }

    public bool IsPostAsGet => PayloadPart.Length == 0;

    public string Algorithm => Header.GetProperty("alg").GetString()!;
    public string? Nonce => Header.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
    public string? Url => Header.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
    public string? Kid => Header.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
    public JsonElement? Jwk => Header.TryGetProperty("jwk", out var j) ? j : null;

    /// <summary>The bytes the signature covers: ASCII(protected "." payload).</summary>
    public byte[] SigningInput => Encoding.ASCII.GetBytes(ProtectedPart + "." + PayloadPart);

    /// <summary>Parses a flattened JWS from <paramref name="json"/> (a JSON object).</summary>
    /// <exception cref="AcmeProblemException">malformed.</exception>
    public static SignedRequest Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw AcmeProblemException.Malformed("the request body is not a JWS object");
        foreach (var member in json.EnumerateObject())
            if (member.Name is not ("protected" or "payload" or "signature"))
                // §6.2: the JWS must not have an unprotected header; nothing else belongs in the flattened form.
                throw AcmeProblemException.Malformed($"the JWS has an unexpected member \"{Tessera.Diagnostics.PeerText.Clip(member.Name, 40)}\"");
        var protectedPart = Text(json, "protected");
        var payloadPart = Text(json, "payload");
        var signature = Decode(Text(json, "signature"), "signature");
        JsonElement header;
        try
        {
            using var doc = JsonDocument.Parse(Decode(protectedPart, "protected header"));
            header = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw AcmeProblemException.Malformed("the JWS protected header is not JSON");
        }
        if (header.ValueKind != JsonValueKind.Object) throw AcmeProblemException.Malformed("the JWS protected header is not a JSON object");
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
            throw AcmeProblemException.Malformed("the JWS protected header has no alg");
        var hasJwk = header.TryGetProperty("jwk", out _);
        var hasKid = header.TryGetProperty("kid", out _);
        if (hasJwk == hasKid) throw AcmeProblemException.Malformed("the JWS protected header must have exactly one of jwk and kid");
        return new SignedRequest(header, protectedPart, payloadPart, signature, payloadPart.Length == 0 ? [] : Decode(payloadPart, "payload"));
    }

    /// <summary>The payload as a JSON object.</summary>
    /// <exception cref="AcmeProblemException">malformed: empty (a POST-as-GET where a request was due) or not a JSON object.</exception>
    public JsonDocument PayloadJson()
    {
        if (IsPostAsGet) throw AcmeProblemException.Malformed("this resource needs a request payload, not a POST-as-GET");
        try
        {
            var doc = JsonDocument.Parse(Payload);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
        }
        catch (JsonException)
        {
        }
        throw AcmeProblemException.Malformed("the JWS payload is not a JSON object");
    }

    private static string Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw AcmeProblemException.Malformed($"the JWS has no \"{name}\" string");

    private static byte[] Decode(string text, string what)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw AcmeProblemException.Malformed($"the JWS {what} is not base64url");
        }
    }
}
