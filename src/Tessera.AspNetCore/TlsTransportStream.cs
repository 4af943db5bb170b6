namespace Tessera.AspNetCore;

/// <summary>
/// The decrypted side of a connection as Kestrel reads it. Kestrel expects a transport to end reads with 0 and to fail
/// with <see cref="IOException"/>: a client that closes without close_notify (browsers do, HTTP framing detects a
/// truncated message) is an end of stream here, and any other TLS failure is an IOException carrying it.
/// </summary>
internal sealed class TlsTransportStream(TlsStream tls, byte[]? prefix = null) : DuplexStream
{
    // Plaintext the adapter already read (the early data, to learn which requests it holds), handed to Kestrel first.
    private byte[]? _prefix = prefix is { Length: > 0 } ? prefix : null;
    private int _prefixAt;

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix is { } p)
        {
            var n = Math.Min(buffer.Length, p.Length - _prefixAt);
            p.AsSpan(_prefixAt, n).CopyTo(buffer.Span);
            _prefixAt += n;
            if (_prefixAt == p.Length) _prefix = null;
            return n;
        }
        try
        {
            return await tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsException e) when (e.IsTransportFailure && e.Alert == Wire.AlertDescription.CloseNotify)
        {
            return 0;
        }
        catch (TlsException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await tls.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (TlsException e)
        {
            throw new IOException(e.Message, e);
        }
    }
}
