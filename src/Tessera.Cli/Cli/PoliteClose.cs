namespace Tessera.Cli.Cli;

/// <summary>
/// close_notify, then reading until the server's (or until <c>wait</c> is up). Polite matters: OpenSSL drops a session
/// from its cache when a connection ends without close_notify, so a client that just hung up would find session-ID
/// resumption and 0-RTT failing where they work.
/// </summary>
internal static class PoliteClose
{
    public static async Task RunAsync(TlsStream tls, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(wait);
        try
        {
            await tls.ShutdownAsync(drain.Token);
            var buffer = new byte[4096];
            while (await tls.ReadAsync(buffer, drain.Token) > 0) { }
        }
        catch (Exception e) when (e is TlsException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The session is over either way; a server that does not answer close_notify in time is not an error here.
        }
    }
}
