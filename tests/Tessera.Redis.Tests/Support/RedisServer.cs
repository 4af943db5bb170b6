using Tessera.Interop.Tests.Support;

namespace Tessera.Redis.Tests.Support;

/// <summary>
/// A redis-server of the test's own on a free loopback port, without persistence; stopped on dispose. It can be
/// stopped and started again on the same port (to show what the stores do while Redis is away).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private Peer? _process;

    public RedisServer()
    {
        // StackExchange.Redis 3 completes replies on the thread pool, and the stores' interfaces are synchronous: with
        // the pool at its default minimum (the core count: 2 here) a few blocked waiters starve the reply they wait
        // for until the pool grows, which takes longer than the 500 ms timeout. Servers raise it the same way.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        if (Peer.Which("redis-server") is null) throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server); .ci/run installs it");
        Port = Ports.Free();
        StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        _process = Peer.Start("redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes");
        await _process.WaitForOutputAsync("Ready to accept connections", Timeout);
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Dispose();
        _process = null;
        await Task.Delay(100);
    }

    public void Dispose() => _process?.Dispose();
}
