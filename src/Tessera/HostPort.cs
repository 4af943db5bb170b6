using System.Globalization;
using System.Net;

namespace Tessera;

/// <summary>HOST:PORT as people write it, with [v6]:port for IPv6 literals: what a proxy listens on or forwards to, what a scan targets.</summary>
/// <param name="Host">A name or an address literal (without brackets).</param>
/// <param name="Port">0 to 65535.</param>
public sealed record HostPort(string Host, int Port)
{
    /// <summary>
    /// Parses "host:port", "[v6]:port" or, with <paramref name="defaultPort"/>, a host alone; throws
    /// <see cref="FormatException"/> with a sentence quoting the text.
    /// </summary>
    public static HostPort Parse(string text, int? defaultPort = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string host;
        string? port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new FormatException($"'{text}' has an unterminated [IPv6] address");
            host = text[1..close];
            port = close + 1 < text.Length && text[close + 1] == ':' ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0) throw new FormatException($"'{text}' names no host");
        if (port is null)
            return defaultPort is { } d ? new HostPort(host, d) : throw new FormatException($"'{text}' has no port (use HOST:PORT)");
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            throw new FormatException($"'{port}' is not a port number");
        return new HostPort(host, p);
    }

    /// <summary>The address to listen on: an IP literal, or localhost as 127.0.0.1; null for any other name (a listener binds addresses, not names).</summary>
    public IPAddress? ListenAddress() =>
        IPAddress.TryParse(Host, out var address) ? address
            : Host == "localhost" ? IPAddress.Loopback
            : null;

    /// <summary>host:port, with brackets around an IPv6 literal.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
