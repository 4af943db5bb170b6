namespace Tessera.Proxy.Handoff;

/// <summary>
/// A stream that first returns bytes already read from <paramref name="inner"/> (the ClientHello the listener looked
/// at to choose a site), then reads on from it. Writes go straight through. Once the replayed bytes are taken, a
/// zero-byte read is the socket's own (it waits for data), so TlsStream can wait without holding buffers.
/// </summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> alreadyRead, Stream inner) : Stream, IZeroByteReadStream, IWriteShutdownStream
{
    private ReadOnlyMemory<byte> _replay = alreadyRead;

    public bool ZeroByteReadWaits => _replay.IsEmpty && inner is System.Net.Sockets.NetworkStream;

    public bool TryShutdownWrite()
    {
        if (inner is not System.Net.Sockets.NetworkStream network) return false;
        network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        return true;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => _replay.IsEmpty ? inner.Read(buffer) : TakeReplay(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _replay.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(TakeReplay(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int TakeReplay(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _replay.Length);
        _replay.Span[..n].CopyTo(buffer);
        _replay = _replay.Length == n ? ReadOnlyMemory<byte>.Empty : _replay[n..];   // let go of the ClientHello's buffer once taken
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
