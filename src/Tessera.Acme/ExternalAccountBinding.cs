namespace Tessera.Acme;

/// <summary>The CA-issued key that binds a new account to an account the CA knows (RFC 8555 §7.3.4).</summary>
/// <param name="KeyId">The key identifier the CA gave.</param>
/// <param name="HmacKey">The MAC key, decoded (CAs give it base64url).</param>
public sealed record ExternalAccountBinding(string KeyId, byte[] HmacKey)
{
    /// <summary>From the key identifier and the base64url HMAC key, as CAs hand them out.</summary>
    /// <exception cref="AcmeException">The HMAC key is not base64url.</exception>
    public static ExternalAccountBinding FromBase64Url(string keyId, string hmacKey)
    {
        try
        {
            return new ExternalAccountBinding(keyId, Base64Url.Decode(hmacKey.Trim()));
        }
        catch (FormatException e)
        {
            throw new AcmeException(AcmeFailure.Configuration, "the EAB HMAC key is not base64url", e);
        }
    }
}
