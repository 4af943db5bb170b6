using System.Net;
using Tessera.Cli.Cli;
using Tessera.Proxy.Hosting;

namespace Tessera.Cli.Settings;

/// <summary>HOST:PORT, with [v6]:port for IPv6 literals: the proxy library's <see cref="HostPort"/> with its refusals as usage errors.</summary>
internal sealed record Endpoint(string Host, int Port)
{
    /// <summary>The address to listen on: an IP literal, or localhost as 127.0.0.1; any other name is a usage error.</summary>
    public IPAddress ListenAddress(string option) =>
        new HostPort(Host, Port).ListenAddress() ?? throw new CliException(ExitCodes.Usage, $"{option} needs an IP address, not '{Host}'");

    public static Endpoint Parse(string text, int? defaultPort = null)
    {
        try
        {
            var parsed = HostPort.Parse(text, defaultPort);
            return new Endpoint(parsed.Host, parsed.Port);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message, e);
        }
    }

    /// <summary>
    /// A server to connect to: HOST:PORT, or a URL as people copy it from a browser (<c>https://host:8443/path</c>;
    /// the path is ignored, the port defaults to the scheme's).
    /// </summary>
    public static Endpoint ParseTarget(string text, int? defaultPort = null)
    {
        if (!text.Contains("://", StringComparison.Ordinal)) return Parse(text, defaultPort);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new CliException(ExitCodes.Usage, $"'{text}' is neither HOST:PORT nor a URL");
        var port = uri.IsDefaultPort ? uri.Scheme switch
        {
            "https" or "wss" => 443,
            "ldaps" => 636,
            _ => throw new CliException(ExitCodes.Usage, $"{uri.Scheme}:// has no TLS port Tessera knows; give HOST:PORT"),
        } : uri.Port;
        return new Endpoint(uri.Host.Trim('[', ']'), port);
    }

    public override string ToString() => new HostPort(Host, Port).ToString();
}
