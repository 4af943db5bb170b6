using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Proxy.Handoff;

/// <summary>
/// An accepted socket as a Kestrel connection: the bytes the listener already read (the ClientHello) come first,
/// then the socket. Closing the connection closes the socket.
/// </summary>
internal sealed class HandoffConnection : ConnectionContext
{
    private static long s_next;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    public HandoffConnection(Socket socket, ReadOnlyMemory<byte> alreadyRead)
    {
        _socket = socket;
        var stream = new ReplayStream(alreadyRead, new NetworkStream(socket, ownsSocket: false));
        Transport = new DuplexPipe(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
        ConnectionId = "proxy-" + Interlocked.Increment(ref s_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }
    public override IFeatureCollection Features { get; } = new FeatureCollection();
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    public override IDuplexPipe Transport { get; set; }
    public override EndPoint? RemoteEndPoint { get; set; }
    public override EndPoint? LocalEndPoint { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        // A reset, as Kestrel's socket transport does on abort: the peer learns at once, nothing is flushed.
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        _socket.Dispose();
        Cancel();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer is gone or the connection was aborted.
        }
        _socket.Dispose();
        Cancel();
    }

    private void Cancel()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Cancelled and disposed already: ConnectionClosed has fired.
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
