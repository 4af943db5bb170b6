using System.Net;
using System.Net.Sockets;
using Tessera.Connection;

namespace Tessera.Interop.Tests.Support;

/// <summary>A Tessera TLS echo server on an ephemeral loopback port, for peers' clients to connect to.</summary>
public sealed class TesseraServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Task> _connections = [];

    public TesseraServer(TlsServerOptions options)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptLoopAsync(options);
    }

    public int Port { get; }
    public List<TlsConnection> Connections { get; } = [];
    public List<Exception> Failures { get; } = [];

    private async Task AcceptLoopAsync(TlsServerOptions options)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_connections) _connections.Add(EchoAsync(tcp, options));
        }
    }

    private async Task EchoAsync(TcpClient tcp, TlsServerOptions options)
    {
        using (tcp)
        await using (var tls = new TlsStream(tcp.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(options, _stop.Token);
                lock (Connections) Connections.Add(tls.Connection);
                var buffer = new byte[32768];
                int n;
                while ((n = await tls.ReadAsync(buffer, _stop.Token)) > 0) await tls.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                await tls.ShutdownAsync(_stop.Token);
            }
            catch (Exception e) when (e is TlsException or IOException or OperationCanceledException)
            {
                lock (Failures) Failures.Add(e);
            }
        }
    }

    /// <summary>Waits until a connection has completed its handshake (or failed) and returns it.</summary>
    public async Task<TlsConnection> WaitForConnectionAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (Connections) if (Connections.Count > 0) return Connections[^1];
            lock (Failures) if (Failures.Count > 0) throw new InvalidOperationException("the Tessera server failed", Failures[0]);
            await Task.Delay(20);
        }
        throw new TimeoutException("no connection reached the Tessera server");
    }

    /// <summary>Waits until a connection has failed and returns why.</summary>
    public async Task<Exception> WaitForFailureAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (Failures) if (Failures.Count > 0) return Failures[0];
            await Task.Delay(20);
        }
        throw new TimeoutException("no connection failed at the Tessera server");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        Task[] all;
        lock (_connections) all = [.. _connections];
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
