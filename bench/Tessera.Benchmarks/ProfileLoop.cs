using System.Diagnostics;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Benchmarks;

/// <summary>
/// Client+server handshakes through the sans-IO <see cref="TlsConnection"/> on one thread, without BenchmarkDotNet, for
/// a profiler to watch (`perf record`, dotnet-trace). Prints the time and managed allocation per handshake pair.
/// Usage: `dotnet run -c Release --project bench/Tessera.Benchmarks -- --loop full|resumed [count]`.
/// </summary>
public static class ProfileLoop
{
    public static int Run(string mode, int count)
    {
        if (mode is not ("full" or "resumed") || count <= 0)
        {
            Console.Error.WriteLine("usage: --loop full|resumed [count]");
            return 2;
        }
        var pki = new BenchPki();
        var server = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)] };
        var client = new TlsClientOptions { TrustStore = TrustStore.FromCertificates(pki.Root) };
        if (mode == "full") client = client with { SessionStore = null };

        for (var i = 0; i < Math.Min(count, 500); i++) One(client, server);   // warm-up: JIT tiers and caches
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) One(client, server);
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"{mode}: {count} handshake pairs, {elapsed.TotalMicroseconds / count:0} µs and {allocated / count:N0} B each");
        return 0;
    }

    private static void One(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        using var client = TlsConnection.CreateClient(clientOptions, "example.test");
        using var server = TlsConnection.CreateServer(serverOptions);
        Pump(client, server);
        if (!client.IsHandshakeComplete || !server.IsHandshakeComplete)
            throw new InvalidOperationException($"handshake did not complete: {client.Failure?.Message ?? server.Failure?.Message ?? client.State}");
        // One byte each way, so the client takes in the tickets as in the TlsStream suites.
        client.Write([42]);
        Pump(client, server);
        server.Write([42]);
        Pump(client, server);
    }

    private static void Pump(TlsConnection a, TlsConnection b)
    {
        for (var round = 0; round < 20 && (a.HasPendingOutput || b.HasPendingOutput); round++)
        {
            Move(a, b);
            Move(b, a);
        }
    }

    private static void Move(TlsConnection from, TlsConnection to)
    {
        if (!from.HasPendingOutput) return;
        var bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        to.ReceiveTls(bytes);
    }
}
