using System.Globalization;
using System.Net;
using Tessera.Cli.Cli;

namespace Tessera.Cli.Settings;

/// <summary>HOST:PORT, with [v6]:port for IPv6 literals.</summary>
internal sealed record Endpoint(string Host, int Port)
{
    /// <summary>The address to listen on: an IP literal, or localhost as 127.0.0.1; any other name is a usage error.</summary>
    public IPAddress ListenAddress(string option) =>
        IPAddress.TryParse(Host, out var address) ? address
            : Host == "localhost" ? IPAddress.Loopback
            : throw new CliException(ExitCodes.Usage, $"{option} needs an IP address, not '{Host}'");

    public static Endpoint Parse(string text, int? defaultPort = null)
    {
        string host;
        string? port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new CliException(ExitCodes.Usage, $"'{text}' has an unterminated [IPv6] address");
            host = text[1..close];
            port = close + 1 < text.Length && text[close + 1] == ':' ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0) throw new CliException(ExitCodes.Usage, $"'{text}' names no host");
        if (port is null)
            return defaultPort is { } d ? new Endpoint(host, d) : throw new CliException(ExitCodes.Usage, $"'{text}' has no port (use HOST:PORT)");
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            throw new CliException(ExitCodes.Usage, $"'{port}' is not a port number");
        return new Endpoint(host, p);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
