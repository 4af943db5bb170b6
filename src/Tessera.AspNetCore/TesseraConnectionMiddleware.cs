using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Tessera.Connection;

namespace Tessera.AspNetCore;

/// <summary>
/// Kestrel connection middleware: runs a Tessera server handshake over the transport, publishes the TLS features, and
/// hands Kestrel a plaintext pipe; HTTP/1.1 or HTTP/2 follows from the ALPN answer, as with Kestrel's own HTTPS.
/// </summary>
internal sealed partial class TesseraConnectionMiddleware
{
    private static readonly TimeSpan CloseNotifyTimeout = TimeSpan.FromSeconds(2);
    private readonly ConnectionDelegate _next;
    private readonly ListenOptions _listen;
    private readonly TesseraHttpsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private (HttpProtocols Protocols, TlsServerOptions Source, TlsServerOptions Server)? _built;

    public TesseraConnectionMiddleware(ConnectionDelegate next, ListenOptions listen, TesseraHttpsOptions options, ILoggerFactory loggers)
    {
        if (!options.HasAnyCertificate) throw new ArgumentException("UseTessera needs a certificate: ServerOptions.Certificates, CertificatesByName, AddCertificateFiles, ServerCertificateSelector or ServerOptionsSelector");
        _next = next;
        _listen = listen;
        _options = options;
        _logger = loggers.CreateLogger("Tessera.AspNetCore");
        foreach (var source in options.CertificateFiles)
        {
            source.Reloaded += (s, c) => LogCertificateReloaded(_logger, s.CertificatePath, c.Leaf.Subject, c.Leaf.SerialNumber);
            source.ReloadFailed += (s, e) => LogCertificateReloadFailed(_logger, s.CertificatePath, e.Message);
        }
    }

    public async Task OnConnectionAsync(ConnectionContext context)
    {
        var server = ServerOptionsFor(context);
        var tls = new TlsStream(new DuplexPipeStream(context.Transport));
        try
        {
            try
            {
                await tls.AuthenticateAsServerAsync(server, context.ConnectionClosed).ConfigureAwait(false);
            }
            catch (TlsException e)
            {
                _options.HandshakeFailed?.Invoke(context, e);
                if (e.IsTransportFailure || e.IsFromPeer) LogHandshakeEnded(_logger, context.ConnectionId, context.RemoteEndPoint?.ToString(), TlsException.Describe(e.Alert), e.Message);
                else LogHandshakeFailed(_logger, context.ConnectionId, context.RemoteEndPoint?.ToString(), TlsException.Describe(e.Alert), e.Message);
                return;
            }
            catch (OperationCanceledException)
            {
                LogHandshakeEnded(_logger, context.ConnectionId, context.RemoteEndPoint?.ToString(), "none", "the connection closed during the handshake");
                return;
            }

            // RFC 8470: learn which requests came in 0-RTT data before Kestrel parses any of them.
            byte[]? early = null;
            if (tls.Connection.EarlyDataAccepted == true && tls.Connection.EarlyDataReceived > 0)
            {
                try
                {
                    early = await ReadEarlyDataAsync(tls, (int)tls.Connection.EarlyDataReceived, context.ConnectionClosed).ConfigureAwait(false);
                }
                catch (TlsException e)
                {
                    LogHandshakeEnded(_logger, context.ConnectionId, context.RemoteEndPoint?.ToString(), TlsException.Describe(e.Alert), e.Message);
                    return;
                }
            }
            var feature = new TesseraTlsFeature(tls.Connection) { EarlyData = early is null ? null : new EarlyDataRecord(early) };
            context.Features.Set<ITlsConnectionFeature>(feature);
            context.Features.Set<ITlsHandshakeFeature>(feature);
            context.Features.Set<ITlsApplicationProtocolFeature>(feature);
            context.Features.Set<ITesseraTlsFeature>(feature);

            var transport = context.Transport;
            var pipe = new TlsDuplexPipe(tls, early);
            context.Transport = pipe;
            try
            {
                await _next(context).ConfigureAwait(false);
            }
            finally
            {
                context.Transport = transport;
                await pipe.DisposeAsync().ConfigureAwait(false);
                await CloseAsync(tls).ConfigureAwait(false);
            }
        }
        finally
        {
            await tls.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The early data is already decrypted and buffered in the connection (it came before the client's Finished).</summary>
    private static async Task<byte[]> ReadEarlyDataAsync(TlsStream tls, int length, CancellationToken cancellationToken)
    {
        var early = new byte[length];
        for (var at = 0; at < length;)
        {
            var n = await tls.ReadAsync(early.AsMemory(at), cancellationToken).ConfigureAwait(false);
            if (n == 0) return early[..at];
            at += n;
        }
        return early;
    }

    /// <summary>close_notify when Kestrel is done with the connection, bounded: the peer may be gone already.</summary>
    private static async Task CloseAsync(TlsStream tls)
    {
        if (tls.Connection.IsClosed || tls.Connection.Failure is not null) return;
        using var timeout = new CancellationTokenSource(CloseNotifyTimeout);
        try
        {
            await tls.ShutdownAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TlsException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The transport is closed or closing; the HTTP exchange is already complete or abandoned.
        }
    }

    /// <summary>
    /// The TLS server for this endpoint: ALPN from the endpoint's HttpProtocols (read now, so the order of
    /// UseTessera and Protocols does not matter), certificates from <see cref="TesseraHttpsOptions"/>.
    /// </summary>
    private TlsServerOptions ServerOptionsFor(ConnectionContext context)
    {
        var protocols = _listen.Protocols;
        if (_options.ServerOptionsSelector?.Invoke(context) is { } chosen) return chosen with { ApplicationProtocols = Alpn(protocols) };
        TlsServerOptions server;
        lock (_lock)
        {
            // Rebuilt when the endpoint's protocols change or ServerOptions is replaced (a reload: new handshakes use it).
            var source = _options.ServerOptions;
            if (_built is not { } built || built.Protocols != protocols || !ReferenceEquals(built.Source, source))
            {
                built = (protocols, source, source with
                {
                    ApplicationProtocols = Alpn(protocols),
                    CertificateSelector = _options.ServerCertificateSelector is null ? s => _options.Select(null, s.ServerName) : null,
                });
                _built = built;
            }
            server = built.Server;
        }
        // A caller's selector sees the connection, so this connection gets its own selector.
        return _options.ServerCertificateSelector is null ? server : server with { CertificateSelector = s => _options.Select(context, s.ServerName) };
    }

    internal static IReadOnlyList<string> Alpn(HttpProtocols protocols)
    {
        var http1 = (protocols & HttpProtocols.Http1) != 0;
        var http2 = (protocols & HttpProtocols.Http2) != 0;
        // RFC 9113 §3.2: "h2" over TLS; the server prefers it when both are enabled, as Kestrel's own HTTPS does.
        if (http1 && http2) return ["h2", "http/1.1"];
        if (http2) return ["h2"];
        return ["http/1.1"];
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Certificate reloaded from {Path}: {Subject} (serial {Serial})")]
    private static partial void LogCertificateReloaded(ILogger logger, string path, string subject, string serial);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Certificate files at {Path} changed but could not be loaded (the previous certificate stays in use; retried at the next check): {Reason}")]
    private static partial void LogCertificateReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "TLS handshake failed for connection {ConnectionId} from {RemoteEndPoint}: alert {Alert}: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string connectionId, string? remoteEndPoint, string alert, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "TLS handshake ended by the peer for connection {ConnectionId} from {RemoteEndPoint}: alert {Alert}: {Reason}")]
    private static partial void LogHandshakeEnded(ILogger logger, string connectionId, string? remoteEndPoint, string alert, string reason);
}
