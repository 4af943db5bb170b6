using System.Globalization;
using System.Net;
using System.Text;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Asks the server for "GET /" over TLS (GET, not HEAD: openssl s_server -www answers nothing else) and reads Strict-Transport-Security (RFC 6797) from the answer: SSL Labs
/// gives A+ only with HSTS and a long max-age. A server that is not HTTP answers nothing, which is "no HSTS".
/// </summary>
internal static class HstsProbe
{
    /// <summary>The most of an answer read: the header block of any sane server fits.</summary>
    private const int MaxHead = 16 * 1024;

    public static async Task<HstsPolicy?> RunAsync(ScanOptions options, IPEndPoint endpoint, ProtocolVersion version, CancellationToken cancellationToken)
    {
        var host = options.ServerName ?? options.Target.Host;
        var tlsOptions = new TlsClientOptions
        {
            MinVersion = version,
            MaxVersion = version,
            CertificateVerifier = ResumptionProbe.AcceptAnyChain.Instance,
            SendServerNameIndication = !IPAddress.TryParse(host, out _),
            SessionStore = null,
            ApplicationProtocols = ["http/1.1"],
            HandshakeTimeout = options.ProbeTimeout,
        };
        // A server that is not HTTP may just wait for more; two seconds is plenty for one that is.
        var wait = options.ProbeTimeout < TimeSpan.FromSeconds(2) ? options.ProbeTimeout : TimeSpan.FromSeconds(2);
        var attempt = await ScanConnection.RunAsync(options, endpoint, tlsOptions, [], tls => HeadAsync(tls, host, wait, cancellationToken), cancellationToken);
        return attempt.Data is { } head ? Parse(head) : null;
    }

    private static async Task<string?> HeadAsync(TlsStream tls, string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // An ALPN answer other than http/1.1 (or none from a server that speaks ALPN) is not an HTTP/1.1 server to ask.
        if (tls.Connection.ApplicationProtocol is { } alpn && alpn != "http/1.1") return null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var head = new MemoryStream();
        try
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: tessera-scan\r\nConnection: close\r\n\r\n"), deadline.Token);
            var buffer = new byte[4096];
            int n;
            while (head.Length < MaxHead && (n = await tls.ReadAsync(buffer, deadline.Token)) > 0)
            {
                head.Write(buffer, 0, n);
                if (EndOfHead(head)) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or TlsException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Whatever arrived before the server went quiet or closed is still worth reading.
        }
        return head.Length == 0 ? null : Encoding.ASCII.GetString(head.GetBuffer(), 0, (int)head.Length);
    }

    private static bool EndOfHead(MemoryStream head) =>
        Encoding.ASCII.GetString(head.GetBuffer(), 0, (int)head.Length).Contains("\r\n\r\n", StringComparison.Ordinal);

    /// <summary>The first Strict-Transport-Security header of an HTTP answer (RFC 6797 §8.1: only the first counts).</summary>
    internal static HstsPolicy? Parse(string head)
    {
        if (!head.StartsWith("HTTP/", StringComparison.Ordinal)) return null;
        var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in (end < 0 ? head : head[..end]).Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !line[..colon].Trim().Equals("Strict-Transport-Security", StringComparison.OrdinalIgnoreCase)) continue;
            long? maxAge = null;
            var subdomains = false;
            var preload = false;
            foreach (var part in line[(colon + 1)..].Split(';'))
            {
                var directive = part.Trim();
                if (directive.StartsWith("max-age", StringComparison.OrdinalIgnoreCase))
                {
                    var value = directive[(directive.IndexOf('=') + 1)..].Trim().Trim('"');
                    if (directive.Contains('=') && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) maxAge = seconds;
                }
                else if (directive.Equals("includeSubDomains", StringComparison.OrdinalIgnoreCase)) subdomains = true;
                else if (directive.Equals("preload", StringComparison.OrdinalIgnoreCase)) preload = true;
            }
            return new HstsPolicy(maxAge, subdomains, preload);
        }
        return new HstsPolicy(null, false, false, Present: false);
    }
}
