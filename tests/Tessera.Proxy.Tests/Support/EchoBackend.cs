using System.Net;
using System.Net.Sockets;

namespace Tessera.Proxy.Tests.Support;

/// <summary>
/// A loopback TCP backend that echoes what it receives and closes when its client half-closes. It keeps what each
/// connection sent (the first 1 MiB, to read a PROXY protocol header and what follows it). Stopped on dispose.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly List<MemoryStream> _received = [];

    public EchoBackend()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What each connection has sent so far, in the order the connections came.</summary>
    public IReadOnlyList<byte[]> Received
    {
        get
        {
            lock (_gate)
            {
                var all = new List<byte[]>(_received.Count);
                foreach (var r in _received) all.Add(r.ToArray());
                return all;
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_gate) _connections.Add(EchoAsync(client));
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or InvalidOperationException or SocketException or ObjectDisposedException)
        {
            // Disposed. Stop can land between two accepts, and the next one then says "not listening" instead of cancelled.
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var received = new MemoryStream();
            lock (_gate) _received.Add(received);
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    lock (_gate) if (received.Length < 1 << 20) received.Write(buffer, 0, n);
                    await stream.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The proxy cut the connection, or the test is over: the test asserts on what the client saw.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_gate) open = [.. _connections];
        await Task.WhenAll(open);
    }
}
