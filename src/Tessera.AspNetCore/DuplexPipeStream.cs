using System.Buffers;
using System.IO.Pipelines;

namespace Tessera.AspNetCore;

/// <summary>
/// Kestrel's transport pipe as the <see cref="Stream"/> a <see cref="TlsStream"/> reads ciphertext from and writes it to.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
{
    private readonly PipeReader _input = transport.Input;
    private readonly PipeWriter _output = transport.Output;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Flush() => FlushAsync().GetAwaiter().GetResult();
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var n = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, n).CopyTo(destination.Span);
                _input.AdvanceTo(buffer.GetPosition(n));
                return n;
            }
            _input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await _output.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled) throw new OperationCanceledException("the transport write was canceled");
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
