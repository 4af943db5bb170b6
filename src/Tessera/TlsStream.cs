using System.Runtime.CompilerServices;
using System.Buffers;
using Tessera.Connection;

namespace Tessera;

/// <summary>
/// A <see cref="Stream"/> that speaks TLS over another stream: the drop-in adapter around
/// <see cref="TlsConnection"/>. One read and one write may run at the same time, as with any full-duplex .NET stream.
/// </summary>
public sealed class TlsStream : Stream
{
    private const int ReadChunk = 16 * 1024 + 512;
    private readonly Stream _inner;
    private readonly bool _leaveInnerStreamOpen;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _sync = new();
    private byte[] _readBuffer = [];   // rented for a transport read; given back while an idle socket waits (see ReadTransportAsync)
    private TlsConnection? _connection;
    private bool _disposed;

    /// <summary>Wraps <paramref name="innerStream"/> (usually a socket's stream); authenticate before reading or writing.</summary>
    /// <param name="innerStream">The transport: records are read from and written to it.</param>
    /// <param name="leaveInnerStreamOpen">Whether disposing this stream leaves <paramref name="innerStream"/> open.</param>
    public TlsStream(Stream innerStream, bool leaveInnerStreamOpen = false)
    {
        _inner = innerStream ?? throw new ArgumentNullException(nameof(innerStream));
        _leaveInnerStreamOpen = leaveInnerStreamOpen;
    }

    /// <summary>The connection: negotiated parameters, peer certificates, handshake trace.</summary>
    public TlsConnection Connection => _connection ?? throw new InvalidOperationException("authenticate first");

    /// <summary>Runs the client handshake: the server's certificate is verified against <paramref name="serverName"/> unless the options say otherwise.</summary>
    /// <param name="options">The client's settings; streams made with the same object resume each other's sessions.</param>
    /// <param name="serverName">The host name (sent as SNI) or IP address the certificate must name.</param>
    /// <param name="cancellationToken">Cancels the handshake; the handshake timeout in the options applies as well.</param>
    /// <exception cref="TlsException">The handshake failed: the alert and a sentence say why.</exception>
    public Task AuthenticateAsClientAsync(TlsClientOptions options, string serverName, CancellationToken cancellationToken = default)
    {
        if (_connection is not null) throw new InvalidOperationException("already authenticated");
        _connection = TlsConnection.CreateClient(options, serverName);
        return HandshakeAsync(options, cancellationToken);
    }

    /// <summary>
    /// Authenticates and sends <paramref name="earlyData"/> as 0-RTT data with the first flight when a stored ticket
    /// allows it. Early data can be replayed by an attacker: use it only for requests that are safe to repeat. If the
    /// server rejects it (or it could not be sent), it is sent again as ordinary data once the handshake completes, so
    /// nothing is lost; <see cref="TlsConnection.EarlyDataAccepted"/> says which happened.
    /// </summary>
    public async Task AuthenticateAsClientAsync(TlsClientOptions options, string serverName, ReadOnlyMemory<byte> earlyData, CancellationToken cancellationToken = default)
    {
        if (_connection is not null) throw new InvalidOperationException("already authenticated");
        _connection = TlsConnection.CreateClient(options, serverName, earlyData.Span);
        await HandshakeAsync(options, cancellationToken).ConfigureAwait(false);
        if (_connection.EarlyDataAccepted != true && !earlyData.IsEmpty)
            await WriteAsync(earlyData, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the server handshake: the certificate is chosen by the client's SNI, a client certificate is asked for as the options say.</summary>
    /// <param name="options">The server's settings, shared by every connection of the listener.</param>
    /// <param name="cancellationToken">Cancels the handshake; the handshake timeout in the options applies as well.</param>
    /// <exception cref="TlsException">The handshake failed: the alert and a sentence say why.</exception>
    public Task AuthenticateAsServerAsync(TlsServerOptions options, CancellationToken cancellationToken = default)
    {
        if (_connection is not null) throw new InvalidOperationException("already authenticated");
        _connection = TlsConnection.CreateServer(options);
        return HandshakeAsync(options, cancellationToken);
    }

    private async Task HandshakeAsync(TlsOptions options, CancellationToken cancellationToken)
    {
        var conn = _connection!;
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await FlushOutputAsync(linked.Token).ConfigureAwait(false);
            while (!conn.IsHandshakeComplete)
            {
                var n = await ReadTransportAsync(linked.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    // Recorded as the connection's failure (metrics count it); the alert is offered to a half-closed peer.
                    var closed = new TlsException(Wire.AlertDescription.HandshakeFailure, $"the peer closed the connection during the handshake ({conn.State})");
                    lock (_sync) conn.Abort(closed);
                    throw closed;
                }
                Receive(n);
                await FlushOutputAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var failure = new TlsException(Wire.AlertDescription.HandshakeFailure,
                $"the handshake did not complete within {options.HandshakeTimeout.TotalSeconds:0.#} s ({conn.State})");
            lock (_sync) conn.Abort(failure);
            await TrySendAlertAsync().ConfigureAwait(false);
            throw failure;
        }
        catch (TlsException)
        {
            await TrySendAlertAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ------------------------------------------------------------------ Stream

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanWrite => true;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    /// <summary>Does nothing: every write is sent as records before it completes.</summary>
    public override void Flush() { }
    /// <summary>Does nothing: every write is sent as records before it completes.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Returns 0 only after the peer's close_notify; a transport close without it throws (truncation). A read into an
    /// empty buffer waits until data can be read (or the peer has closed) and returns 0 without taking any, so a
    /// caller can wait without holding a buffer of its own (the usual .NET stream contract for zero-byte reads).
    /// </summary>
    // Pooled state machines: the steady-state read and write paths allocate nothing per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        while (true)
        {
            lock (_sync)
            {
                if (conn.AvailablePlaintext > 0) return buffer.IsEmpty ? 0 : conn.Read(buffer.Span);
                if (conn.IsPeerClosed) return 0;
                if (conn.Failure is { } f) throw f;
            }
            var n = await ReadTransportAsync(cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                lock (_sync)
                {
                    if (conn.IsPeerClosed) return 0;
                    var truncated = TlsException.Truncated("reading");
                    conn.Abort(truncated);
                    throw truncated;
                }
            }
            try
            {
                Receive(n);
            }
            catch (TlsException)
            {
                await TrySendAlertAsync().ConfigureAwait(false);
                throw;
            }
            if (conn.HasPendingOutput) await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Encrypts <paramref name="buffer"/> into records (up to the negotiated record size) and writes them to the transport.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!buffer.IsEmpty)
            {
                // Bounded chunks keep the output buffer small however large the caller's write is.
                var n = Math.Min(buffer.Length, 4 * Records.RecordLayer.MaxPlaintext);
                lock (_sync) conn.Write(buffer.Span[..n]);
                buffer = buffer[n..];
                await FlushOutputLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends close_notify. The peer's own close_notify then ends reading with 0.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        lock (_sync) conn.Close();
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends close_notify, then reads and discards until the peer's close_notify or until <paramref name="wait"/> is up:
    /// the polite end of a client's session. It matters: OpenSSL drops a session from its cache when the connection
    /// ends without close_notify, so a client that just hung up would find session-ID resumption and 0-RTT failing
    /// where they work. A peer that does not answer in time, or a transport that fails meanwhile, is not an error here
    /// (the session is over either way); only <paramref name="cancellationToken"/> ends it early with an exception.
    /// </summary>
    public async Task ShutdownAndDrainAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(wait);
        try
        {
            await ShutdownAsync(drain.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            while (await ReadAsync(buffer, drain.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is TlsException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not answered in time, or the transport went first: the close was sent (or could not be), which is all a polite end can do.
        }
    }

    /// <summary>Sends KeyUpdate (TLS 1.3) and asks the peer to update too.</summary>
    public async Task UpdateKeysAsync(bool requestPeerUpdate = true, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync) Connection.RequestKeyUpdate(requestPeerUpdate);
            await FlushOutputLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void Receive(int count)
    {
        lock (_sync) _connection!.ReceiveTls(_readBuffer.AsSpan(0, count));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadTransportAsync(CancellationToken cancellationToken)
    {
        try
        {
            if ((_inner is System.Net.Sockets.NetworkStream or IZeroByteReadStream { ZeroByteReadWaits: true }) && _connection!.IsHandshakeComplete)
            {
                // A socket can wait for data without a buffer (a zero-byte read). When it has to wait, the connection
                // is idle: its empty record buffers and the read buffer go back to the pool first, so thousands of
                // idle connections hold no record-sized arrays (Kestrel's socket transport waits the same way). Other
                // transports do not all define a zero-byte read, so they keep their buffers.
                // A zero-byte read that had to wait and then completes means "readable", not always "a byte is
                // waiting": the readiness it saw may be one an earlier read already used up. Renting then would hold
                // the buffers through the whole wait, so a socket with nothing to read waits once more (a second empty
                // completion is the end of the stream, or an error, which the real read reports). Only after a wait:
                // a read that completes at once (bulk data) costs no extra system call.
                for (var wait = 0; wait < 2; wait++)
                {
                    var ready = _inner.ReadAsync(Memory<byte>.Empty, cancellationToken);
                    if (ready.IsCompleted)
                    {
                        await ready.ConfigureAwait(false);
                        break;
                    }
                    lock (_sync) _connection!.TrimBuffers();
                    ReturnReadBuffer();
                    await ready.ConfigureAwait(false);
                    if (!NothingWaiting()) break;
                }
            }
            if (_readBuffer.Length == 0) _readBuffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
            return await _inner.ReadAsync(_readBuffer.AsMemory(0, ReadChunk), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            var failure = TlsException.Transport("reading from the transport failed", e);
            lock (_sync) _connection!.Abort(failure);
            throw failure;
        }
    }

    /// <summary>True when the transport is a socket that has no byte to read now (false when it cannot say).</summary>
    private bool NothingWaiting()
    {
        if (_inner is not System.Net.Sockets.NetworkStream network) return false;
        try
        {
            return network.Socket.Available == 0;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return false;   // the real read that follows meets the same failure and reports it
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushOutputLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Moves pending ciphertext to the transport. Caller holds the write lock.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushOutputLockedAsync(CancellationToken cancellationToken)
    {
        var conn = _connection!;
        while (true)
        {
            byte[] chunk;
            int length;
            lock (_sync)
            {
                length = conn.PendingOutput.Length;
                if (length == 0) return;
                // Copy out under the lock: a concurrent read may append (a KeyUpdate answer) to the same buffer.
                chunk = ArrayPool<byte>.Shared.Rent(length);
                conn.DrainTls(chunk.AsSpan(0, length));
            }
            try
            {
                await _inner.WriteAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                var failure = TlsException.Transport("writing to the transport failed", e);
                lock (_sync) conn.Abort(failure);
                throw failure;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    /// <summary>
    /// Best effort to deliver a fatal alert after a failure; the failure itself is what the caller sees. The sending
    /// direction is shut down right behind the alert (the peer sees the FIN at once, as after OpenSSL's alerts; a peer
    /// with a short timeout otherwise reports a hang), then what the peer already sent is read and dropped, because
    /// closing a TCP socket with unread data makes the kernel send a reset, and a reset can destroy the alert before
    /// the peer reads it.
    /// </summary>
    private async Task TrySendAlertAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await FlushOutputAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TlsException or OperationCanceledException or ObjectDisposedException)
        {
            // The transport is already broken or too slow; the original failure is reported to the caller instead.
            return;
        }
        // With the FIN sent the peer is not kept waiting, so the drain can wait for its close a little longer; without
        // it (a transport that cannot half-close) the drain is what delays the close, so it stays short.
        var drainTime = TryShutdownWrite() ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(100);
        using var drain = new CancellationTokenSource(drainTime);
        try
        {
            var scratch = new byte[4096];
            for (var total = 0; total < 256 * 1024;)
            {
                var n = await _inner.ReadAsync(scratch, drain.Token).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            // Nothing more to read, or the transport is gone: either way the alert has been handed over.
        }
    }

    private bool TryShutdownWrite()
    {
        try
        {
            switch (_inner)
            {
                case System.Net.Sockets.NetworkStream network:
                    network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                    return true;
                case IWriteShutdownStream shutdown:
                    return shutdown.TryShutdownWrite();
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // The socket is already gone: there is nothing left to end, and the drain below finds that out at once.
            return false;
        }
    }

    /// <summary>Closes without close_notify (call <c>ShutdownAsync</c> first for a polite close), zeroes the keys and, unless asked not to, closes the transport.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            lock (_sync) _connection?.Dispose();
            if (!_leaveInnerStreamOpen) _inner.Dispose();
            _writeLock.Dispose();
            ReturnReadBuffer();
        }
        base.Dispose(disposing);
    }

    /// <summary>Bytes of pooled buffer arrays held now: the read buffer and the connection's (tests and memory diagnostics).</summary>
    internal int HeldBufferBytes
    {
        get { lock (_sync) return _readBuffer.Length + (_connection?.HeldBufferBytes ?? 0); }
    }

    /// <summary>The read buffer holds only ciphertext as it came off the wire, so it goes back without clearing.</summary>
    private void ReturnReadBuffer()
    {
        if (_readBuffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = [];
    }
}
