using System.Text;
using System.Text.Json;

namespace Tessera.Acme;

/// <summary>
/// The JWS every ACME request is (RFC 8555 §6.2, RFC 7515 flattened JSON): a protected header with alg, nonce, url and
/// either the account key's <c>jwk</c> or the account URL as <c>kid</c>; the payload base64url-encoded, empty for
/// POST-as-GET; the signature over "protected.payload".
/// </summary>
internal static class Jws
{
    public static FlattenedJws Sign(AcmeAccountKey key, Uri? kid, string? nonce, Uri url, byte[]? payload)
    {
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("alg", key.Algorithm);
            if (kid is not null) w.WriteString("kid", kid.AbsoluteUri);
            else
            {
                w.WritePropertyName("jwk");
                key.WriteJwk(w);
            }
            if (nonce is not null) w.WriteString("nonce", nonce);
            w.WriteString("url", url.AbsoluteUri);
            w.WriteEndObject();
        }
        var protectedPart = Base64Url.Encode(header.ToArray());
        var payloadPart = payload is null ? "" : Base64Url.Encode(payload);
        var signature = key.Sign(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return new FlattenedJws { Protected = protectedPart, Payload = payloadPart, Signature = Base64Url.Encode(signature) };
    }

    /// <summary>
    /// The inner JWS of a key change (§7.3.5): signed by the new key with its <c>jwk</c> and the keyChange URL (no
    /// nonce), its payload the account URL and the old key's JWK.
    /// </summary>
    public static FlattenedJws KeyChange(AcmeAccountKey newKey, AcmeAccountKey oldKey, Uri account, Uri keyChange)
    {
        var payload = new MemoryStream();
        using (var w = new Utf8JsonWriter(payload))
        {
            w.WriteStartObject();
            w.WriteString("account", account.AbsoluteUri);
            w.WritePropertyName("oldKey");
            oldKey.WriteJwk(w);
            w.WriteEndObject();
        }
        return Sign(newKey, kid: null, nonce: null, keyChange, payload.ToArray());
    }

    /// <summary>
    /// The External Account Binding (§7.3.4): a JWS whose payload is the new account's JWK, signed with HS256 under the
    /// CA's MAC key, with the CA's key identifier as <c>kid</c> and the newAccount URL as <c>url</c> (no nonce).
    /// </summary>
    public static FlattenedJws ExternalAccountBinding(AcmeAccountKey accountKey, string keyId, ReadOnlySpan<byte> macKey, Uri newAccount)
    {
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("alg", "HS256");
            w.WriteString("kid", keyId);
            w.WriteString("url", newAccount.AbsoluteUri);
            w.WriteEndObject();
        }
        var jwk = new MemoryStream();
        using (var w = new Utf8JsonWriter(jwk)) accountKey.WriteJwk(w);
        var protectedPart = Base64Url.Encode(header.ToArray());
        var payloadPart = Base64Url.Encode(jwk.ToArray());
        var mac = System.Security.Cryptography.HMACSHA256.HashData(macKey, Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return new FlattenedJws { Protected = protectedPart, Payload = payloadPart, Signature = Base64Url.Encode(mac) };
    }
}
