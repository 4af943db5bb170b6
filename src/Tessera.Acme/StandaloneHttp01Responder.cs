using System.Net;
using System.Text;

namespace Tessera.Acme;

/// <summary>
/// A small HTTP server (the BCL's <see cref="HttpListener"/>) that answers only http-01 requests from
/// <see cref="Tokens"/> on one port (80 for a real CA) and 404 to everything else: for hosts with nothing else on
/// that port, as certbot's and lego's standalone modes.
/// </summary>
public sealed class StandaloneHttp01Responder : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <summary>Starts answering on <paramref name="port"/> (all addresses).</summary>
    /// <exception cref="AcmeException">The port cannot be listened on.</exception>
    public StandaloneHttp01Responder(int port, Http01Tokens? tokens = null)
    {
        Tokens = tokens ?? new Http01Tokens();
        _listener.Prefixes.Add($"http://+:{port}{Http01Tokens.PathPrefix}");
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new AcmeException(AcmeFailure.Configuration, $"cannot answer http-01 on port {port}: {e.Message}", e);
        }
        Port = port;
        _serving = ServeAsync();
    }

    /// <summary>The answers it serves.</summary>
    public Http01Tokens Tokens { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;   // stopped
            }
            try
            {
                var path = context.Request.Url?.AbsolutePath ?? "";
                if (Tokens.TryAnswer(path, out var answer))
                {
                    var body = Encoding.ASCII.GetBytes(answer);
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "text/plain";
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    context.Response.StatusCode = 404;
                }
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The validator went away mid-answer; it will ask again or report the challenge failed.
                context.Response.Abort();
            }
        }
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Close alone (it stops too): the managed HttpListener's Close after a Stop looks the endpoint up again and
        // binds the port anew to do so, which fails with "address already in use" once another process has it.
        _listener.Close();
        await _serving.ConfigureAwait(false);
        _stop.Dispose();
    }
}
