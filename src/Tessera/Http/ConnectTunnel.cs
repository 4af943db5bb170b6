using System.Globalization;
using System.Text;

namespace Tessera.Http;

/// <summary>
/// An HTTP CONNECT tunnel through a proxy (RFC 9110 §9.3.6): the proxy relays bytes to host:port and sees only the TLS
/// records. Any 2xx opens it; anything else is an <see cref="HttpRequestException"/> with the proxy's status line.
/// </summary>
internal static class ConnectTunnel
{
    private const int MaxResponseHead = 16 * 1024;

    public static async Task OpenAsync(Stream proxy, string host, int port, CancellationToken cancellationToken)
    {
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        var request = Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n");
        await proxy.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await proxy.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Read the answer's head byte by byte: nothing after its blank line may be consumed, that is the server's TLS.
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (head.Count >= MaxResponseHead) throw new HttpRequestException("the proxy's answer to CONNECT is over 16 KiB");
            if (await proxy.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
                throw new HttpRequestException($"the proxy closed the connection instead of answering CONNECT {authority}");
            head.Add(one[0]);
        }
        var statusLine = Encoding.ASCII.GetString([.. head]).Split("\r\n")[0];
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new HttpRequestException($"the proxy answered CONNECT with something that is not HTTP: {Diagnostics.PeerText.Clip(statusLine)}");
        if (status is < 200 or > 299)
            throw new HttpRequestException($"the proxy refused CONNECT {authority}: {Diagnostics.PeerText.Clip(statusLine)}", null, (System.Net.HttpStatusCode)status);
    }
}
