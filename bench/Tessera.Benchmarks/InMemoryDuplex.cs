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

    private sealed class End(ByteQueue incoming, ByteQueue outgoing) : Stream
    {
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        // As NetworkStream does: nothing is buffered, so flushing completes at once (Stream's default queues a task).
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => incoming.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => outgoing.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => outgoing.Write(buffer);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            outgoing.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            outgoing.Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) outgoing.Close();
            base.Dispose(disposing);
        }
    }
}
