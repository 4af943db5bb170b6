using System.Net;
using System.Net.Sockets;

namespace Tessera.Proxy.Tests.Support;

/// <summary>
/// A layer-4 load balancer for fleet tests: each accepted connection goes to the next backend in turn and its bytes
/// are copied both ways, so a client's consecutive connections land on different instances (as behind a real one).
/// </summary>
internal sealed class RoundRobinBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int[] _ports;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _relays = [];
    private readonly MemoryStream _fromClients = new();
    private int _next;

    public RoundRobinBalancer(params int[] ports)
    {
        _ports = ports;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every byte clients have sent through so far, in order (a replay test takes a real client's flight from here).</summary>
    public byte[] FromClients
    {
        get { lock (_fromClients) return _fromClients.ToArray(); }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var port = _ports[_next++ % _ports.Length];
                lock (_relays)
                {
                    _relays.RemoveAll(t => t.IsCompleted);
                    _relays.Add(RelayAsync(client, port));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task RelayAsync(TcpClient client, int port)
    {
        using (client)
        using (var backend = new TcpClient())
        {
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = CopyAsync(client.GetStream(), backend.Client, _fromClients, done.Token);
                var down = CopyAsync(backend.GetStream(), client.Client, null, done.Token);
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // One side went away; the client sees the connection close, as behind a real balancer.
            }
        }
    }

    /// <summary>Copies until the source ends, then half-closes the other side (a TLS close_notify exchange still finishes).</summary>
    private static async Task CopyAsync(NetworkStream from, Socket to, MemoryStream? record, CancellationToken cancel)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, cancel)) > 0)
        {
            if (record is not null) lock (record) record.Write(buffer, 0, n);
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancel);
        }
        to.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] relays;
        lock (_relays) relays = [.. _relays];
        await Task.WhenAll(relays).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
