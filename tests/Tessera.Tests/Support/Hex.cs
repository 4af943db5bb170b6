namespace Tessera.Tests.Support;

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));
    public static string Of(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);
}
