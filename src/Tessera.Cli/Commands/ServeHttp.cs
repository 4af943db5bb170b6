using System.Buffers;
using System.Globalization;
using System.Text;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera serve --http`: answers each request with a page describing the connection, the way `openssl s_server -www`
/// does, which conformance tools and scripts assume: the whole head is read however it was split over records (empty
/// application-data records included, RFC 8446 §5.4), each answer is one write and so one record, and HTTP/1.0 or
/// "Connection: close" ends with close_notify. HTTP/1.1 requests keep the connection for the next one.
/// </summary>
internal static class ServeHttp
{
    private const int MaxHead = 16 * 1024;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(15);

    public static async Task ServeAsync(TlsStream tls, CancellationToken cancellationToken)
    {
        // The head buffer is rented when a request starts arriving and given back between requests, so a kept-alive
        // connection waiting for its next request holds none (TlsStream's zero-byte read waits without buffers).
        byte[]? buffer = null;
        var length = 0;
        try
        {
            while (true)
            {
                var searched = 0;
                int end;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    idle.CancelAfter(IdleTimeout);
                    while ((end = HttpRequestHead.FindEnd(buffer.AsSpan(0, length), searched)) < 0)
                    {
                        if (length >= MaxHead)
                        {
                            await AnswerAsync(tls, 431, "Request Header Fields Too Large", "the request head is over 16 KiB\n", close: true, cancellationToken);
                            return;
                        }
                        searched = length;
                        int n;
                        try
                        {
                            if (buffer is null)
                            {
                                _ = await tls.ReadAsync(Memory<byte>.Empty, idle.Token);   // waits for data; takes none
                                buffer = ArrayPool<byte>.Shared.Rent(MaxHead + 4096);
                            }
                            n = await tls.ReadAsync(buffer.AsMemory(length, MaxHead + 4096 - length), idle.Token);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            await tls.ShutdownAsync(cancellationToken);   // idle keep-alive connection: close politely
                            return;
                        }
                        if (n == 0)
                        {
                            await tls.ShutdownAsync(cancellationToken);   // the client's close_notify: answer it
                            return;
                        }
                        length += n;
                    }
                }
                var head = HttpRequestHead.Parse(buffer.AsSpan(0, end));
                if (head is null)
                {
                    await AnswerAsync(tls, 400, "Bad Request", "this is not an HTTP/1.x request\n", close: true, cancellationToken);
                    return;
                }
                await AnswerAsync(tls, 200, "OK", Page(tls.Connection), close: !head.KeepAlive, cancellationToken);
                if (!head.KeepAlive) return;
                // Bytes after the head (a pipelined request) stay for the next round; with none, the buffer goes back.
                buffer.AsSpan(end, length - end).CopyTo(buffer);
                buffer.AsSpan(length - end, end).Clear();
                length -= end;
                if (length == 0) Release(ref buffer);
            }
        }
        finally
        {
            if (buffer is not null) buffer.AsSpan(0, length).Clear();
            Release(ref buffer);
        }
    }

    private static void Release(ref byte[]? buffer)
    {
        if (buffer is null) return;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
    }

    /// <summary>Status line, headers and body in one write: one TLS record for any page this server makes.</summary>
    private static async Task AnswerAsync(TlsStream tls, int status, string reason, string body, bool close, CancellationToken cancellationToken)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
        var response = new byte[Encoding.ASCII.GetByteCount(head) + bodyBytes.Length];
        var at = Encoding.ASCII.GetBytes(head, response);
        bodyBytes.CopyTo(response, at);
        await tls.WriteAsync(response, cancellationToken);
        if (close) await tls.ShutdownAsync(cancellationToken);
    }

    private static string Page(TlsConnection c) => new StringBuilder()
        .AppendLine("Tessera TLS test server")
        .AppendLine(CultureInfo.InvariantCulture, $"version: {ServeCommand.Version(c)}")
        .AppendLine(CultureInfo.InvariantCulture, $"cipher suite: {(c.CipherSuite is { } s ? TlsNames.Of(s) : "-")}")
        .AppendLine(CultureInfo.InvariantCulture, $"key exchange: {(c.KeyExchangeGroup is { } g ? TlsNames.Of(g) : "-")}")
        .AppendLine(CultureInfo.InvariantCulture, $"hello retry request: {(c.HelloRetryRequested ? "yes" : "no")}")
        .AppendLine(CultureInfo.InvariantCulture, $"certificate compression: {(c.SentCertificateCompression is { } z ? TlsNames.Of(z.Algorithm) : "none")}")
        .AppendLine(CultureInfo.InvariantCulture, $"extended master secret: {(c.ExtendedMasterSecret ? "yes" : "no")}")
        .AppendLine(CultureInfo.InvariantCulture, $"alpn: {c.ApplicationProtocol ?? "-"}")
        .AppendLine(CultureInfo.InvariantCulture, $"server name: {c.ServerName ?? "-"}")
        .AppendLine(CultureInfo.InvariantCulture, $"resumed: {(c.WasResumed ? "yes" : "no")}")
        .AppendLine(CultureInfo.InvariantCulture, $"client certificate: {(c.PeerCertificates.Count > 0 ? c.PeerCertificates[0].Subject : "none")}")
        .ToString();
}
