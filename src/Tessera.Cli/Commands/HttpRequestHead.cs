using System.Text;

namespace Tessera.Cli.Commands;

/// <summary>The request line and the one header `tessera serve --http` acts on (Connection), from a complete head.</summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version, bool KeepAlive)
{
    /// <summary>Where the head ends in <paramref name="data"/> (after the blank line), or -1 while it is incomplete.</summary>
    /// <param name="searchFrom">Bytes before this were already searched; the terminator may straddle it.</param>
    public static int FindEnd(ReadOnlySpan<byte> data, int searchFrom)
    {
        var start = Math.Max(0, searchFrom - 3);
        for (var i = start; i < data.Length; i++)
        {
            if (data[i] != (byte)'\n') continue;
            // "\r\n\r\n", or the bare "\n\n" that RFC 9112 §2.2 lets a recipient accept.
            if (i >= 3 && data[i - 1] == '\r' && data[i - 2] == '\n' && data[i - 3] == '\r') return i + 1;
            if (i >= 1 && data[i - 1] == '\n') return i + 1;
        }
        return -1;
    }

    /// <summary>Null when the request line is not "METHOD TARGET HTTP/x.y".</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split('\n');
        var requestLine = lines[0].TrimEnd('\r').Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        var version = requestLine[2];
        // RFC 9112 §9.3: HTTP/1.1 persists unless "Connection: close"; HTTP/1.0 closes (as openssl s_server -www does).
        var keepAlive = version == "HTTP/1.1";
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.AsSpan(0, colon).Trim().Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var token in line[(colon + 1)..].Split(','))
                if (token.Trim().Equals("close", StringComparison.OrdinalIgnoreCase)) keepAlive = false;
        }
        return new HttpRequestHead(requestLine[0], requestLine[1], version, keepAlive);
    }
}
