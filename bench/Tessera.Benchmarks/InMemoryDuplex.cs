namespace Tessera.Benchmarks;

/// <summary>
/// Two connected in-memory streams, so Tessera and SslStream are measured over exactly the same transport with
/// no kernel in the way. Each direction is a byte queue with an async signal.
/// </summary>
public static class InMemoryDuplex
{
    public static (Stream Client, Stream Server) Create()
    {
        var toServer = new ByteQueue();
        var toClient = new ByteQueue();
        return (new End(toClient, toServer), new End(toServer, toClient));
    }

    private sealed class ByteQueue
    {
        private readonly Lock _lock = new();
        private readonly SemaphoreSlim _available = new(0);
        private byte[] _buffer = new byte[4 * 1024];   // grows on demand, so the harness adds little to either stack's allocation figures
        private int _start;
        private int _count;
        private bool _closed;

        public void Write(ReadOnlySpan<byte> data)
        {
            lock (_lock)
            {
                if (_start + _count + data.Length > _buffer.Length)
                {
                    var bigger = _count + data.Length > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, _count + data.Length)] : _buffer;
                    Array.Copy(_buffer, _start, bigger, 0, _count);
                    _buffer = bigger;
                    _start = 0;
                }
                data.CopyTo(_buffer.AsSpan(_start + _count));
                _count += data.Length;
            }
            _available.Release();
        }

        public void Close()
        {
            lock (_lock) _closed = true;
            _available.Release();
        }

        // Pooled, like a socket's own awaitables, so the harness adds as little as possible to either stack's figures.
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            while (true)
            {
                lock (_lock)
                {
                    if (_count > 0)
                    {
                        var n = Math.Min(_count, destination.Length);
                        _buffer.AsSpan(_start, n).CopyTo(destination.Span);
                        _start += n;
                        _count -= n;
                        if (_count == 0) _start = 0;
                        return n;
                    }
                    if (_closed) return 0;
                }
                await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class End(ByteQueue incoming, ByteQueue outgoing) : SynchronousTransport
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => incoming.ReadAsync(buffer, cancellationToken);
        public override void Write(ReadOnlySpan<byte> buffer) => outgoing.Write(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing) outgoing.Close();
            base.Dispose(disposing);
        }
    }
}
