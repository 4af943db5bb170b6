using System.Security.Cryptography.X509Certificates;

namespace Tessera.Acme;

/// <summary>
/// The certificate identifier of ACME Renewal Information (RFC 9773 §4.1): base64url of the Authority Key Identifier's
/// keyIdentifier, ".", base64url of the serial number's DER content bytes. It names the certificate in a renewalInfo
/// URL and in a new order's <c>replaces</c>.
/// </summary>
public static class AriCertificateId
{
    /// <summary>The identifier of <paramref name="certificate"/>, or null when it has no AKI keyIdentifier (ARI cannot name it).</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        byte[]? keyId = null;
        foreach (var extension in certificate.Extensions)
            if (extension is X509AuthorityKeyIdentifierExtension aki && aki.KeyIdentifier is { } id) keyId = id.ToArray();
        if (keyId is null) return null;
        // SerialNumberBytes is the DER content, big-endian; a positive serial whose top bit is set keeps its leading zero.
        var serial = certificate.SerialNumberBytes.ToArray();
        if (serial.Length > 0 && (serial[0] & 0x80) != 0) serial = [0, .. serial];
        return Base64Url.Encode(keyId) + "." + Base64Url.Encode(serial);
    }
}
