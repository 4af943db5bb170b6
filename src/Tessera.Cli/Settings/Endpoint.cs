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

    public override string ToString() => new HostPort(Host, Port).ToString();
}
