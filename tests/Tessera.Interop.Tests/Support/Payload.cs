using System.Security.Cryptography;
using System.Text;

namespace Tessera.Interop.Tests.Support;

/// <summary>
/// The 1 MiB of random data each interop connection carries. Binary-clean peers get it raw; line-oriented
/// peer modes (gnutls-serv --echo, openssl s_server -rev) get the same bytes as 76-column base64 lines.
/// </summary>
public static class Payload
{
    public const int Size = 1 << 20;

    public static byte[] Random() => RandomNumberGenerator.GetBytes(Size);

    public static byte[] AsLines(byte[] data) => Encoding.ASCII.GetBytes(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n");

    public static byte[] FromLines(string text) => Convert.FromBase64String(text.Replace("\n", "", StringComparison.Ordinal));

    /// <summary>Undo openssl s_server -rev, which reverses each line.</summary>
    public static string Unreverse(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            var chars = line.ToCharArray();
            Array.Reverse(chars);
            sb.Append(chars).Append('\n');
        }
        return sb.ToString();
    }
}
