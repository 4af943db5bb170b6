namespace Tessera.Acme;

/// <summary>base64url without padding (RFC 7515 §2), as every JOSE and ACME field is encoded.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
