using System.IO.Pipelines;

namespace Tessera.AspNetCore;

/// <summary>The plaintext pipe Kestrel's HTTP/1.1 and HTTP/2 code runs on, over a <see cref="TlsStream"/>.</summary>
internal sealed class TlsDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    public TlsDuplexPipe(TlsStream tls, byte[]? prefix = null)
    {
        var stream = new TlsTransportStream(tls, prefix);
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }
    public PipeWriter Output { get; }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
    }
}
