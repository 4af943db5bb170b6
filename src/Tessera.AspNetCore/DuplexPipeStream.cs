using System.Buffers;
using System.IO.Pipelines;

namespace Tessera.AspNetCore;

/// <summary>
/// Kestrel's transport pipe as the <see cref="Stream"/> a <see cref="TlsStream"/> reads ciphertext from and writes it to.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : DuplexStream
{
    private readonly PipeReader _input = transport.Input;
    private readonly PipeWriter _output = transport.Output;


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
