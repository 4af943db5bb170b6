using Tessera.Connection;

namespace Tessera.Http;

/// <summary>
/// The stream an HTTP/1.1 connection gets when 0-RTT is on: TCP is connected but the TLS handshake waits for the first
/// write, so the request <see cref="SocketsHttpHandler"/> writes first goes out as early data with the ClientHello
/// (when a ticket allows it; otherwise, or if the server declines it, it is sent after the handshake — nothing is lost).
/// Only used for connections whose first request is replay-safe.
/// </summary>
internal sealed class EarlyDataStream(TlsStream tls, TlsClientOptions options, string host, HttpRequestMessage initial) : DuplexStream
{
    private readonly Lock _lock = new();
    private Task? _handshake;

    public TlsStream Tls => tls;

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => _handshake is null ? Task.CompletedTask : tls.FlushAsync(cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task? started;
        lock (_lock)
        {
            started = _handshake;
            if (started is null)
            {
                // The first bytes of the connection: the initial request's head, sent in 0-RTT.
                _handshake = HandshakeAsync(buffer.ToArray(), cancellationToken);
            }
        }
        if (started is null)
        {
            await _handshake!.ConfigureAwait(false);
            return;   // written: as early data, or after the handshake by TlsStream
        }
        await started.ConfigureAwait(false);
        await tls.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task handshake;
        lock (_lock) handshake = _handshake ??= HandshakeAsync([], cancellationToken);
        await handshake.ConfigureAwait(false);
        return await tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandshakeAsync(byte[] early, CancellationToken cancellationToken)
    {
        await tls.AuthenticateAsClientAsync(options, host, early, cancellationToken).ConfigureAwait(false);
        if (tls.Connection.EarlyDataAccepted == true) initial.Options.Set(TesseraHttpHandler.SentInEarlyData, true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) tls.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await tls.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
