using System.Diagnostics;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Client+server handshakes through the sans-IO <see cref="TlsConnection"/> on one thread, without BenchmarkDotNet, for
/// a profiler to watch (`perf record`, dotnet-trace). Prints the time and managed allocation per handshake pair.
/// Usage: `dotnet run -c Release --project bench/Tessera.Benchmarks -- --loop full|resumed [count] [--group x25519]
/// [--alloc]`: the default groups unless one is named (x25519 is what the SslStream comparisons use); `--alloc` adds
/// the allocated types (sampled, <see cref="AllocationSampler"/>).
/// </summary>
public static class ProfileLoop
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 1 ? args[1] : "";
        var count = args.Length > 2 && int.TryParse(args[2], out var n) ? n : 10_000;
        var groupAt = Array.IndexOf(args, "--group");
        NamedGroup? group = groupAt < 0 ? null : (groupAt + 1 < args.Length ? args[groupAt + 1] : "") switch
        {
            "x25519" => NamedGroup.X25519,
            "p256" => NamedGroup.Secp256r1,
            "x25519mlkem768" => NamedGroup.X25519MLKEM768,
            _ => (NamedGroup)0,
        };
        if (group == (NamedGroup)0) mode = "";
        if (mode is not ("full" or "resumed") || count <= 0)
        {
            Console.Error.WriteLine("usage: --loop full|resumed [count] [--group x25519|p256|x25519mlkem768] [--alloc]");
            return 2;
        }
        var pki = new BenchPki();
        var server = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)] };
        var client = new TlsClientOptions { TrustStore = TrustStore.FromCertificates(pki.Root) };
        if (group is { } only)
        {
            server = server with { Groups = [only] };
            client = client with { Groups = [only] };
        }
        if (mode == "full") client = client with { SessionStore = null };

        for (var i = 0; i < Math.Min(count, 500); i++) One(client, server);   // warm-up: JIT tiers and caches
        if (Array.IndexOf(args, "--steps") > 0) return Steps(client, server, mode, count);
        using var sampler = Array.IndexOf(args, "--alloc") > 0 ? new AllocationSampler() : null;
        sampler?.Start();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) One(client, server);
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        sampler?.Stop();
        Console.WriteLine($"{mode}: {count} handshake pairs, {elapsed.TotalMicroseconds / count:0} µs and {allocated / count:N0} B each");
        sampler?.Print(Console.Out, count);
        return 0;
    }

    /// <summary>One client+server pair to completion, a byte each way; says whether each side resumed.</summary>
    internal static (bool ClientResumed, bool ServerResumed) One(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
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
        return (client.WasResumed, server.WasResumed);
    }

    /// <summary>
    /// Managed bytes allocated per step of a pair (each side's creation, then each flight as it is received and
    /// answered), averaged over <paramref name="count"/> pairs on this thread: where a handshake's allocation goes.
    /// </summary>
    private static int Steps(TlsClientOptions clientOptions, TlsServerOptions serverOptions, string mode, int count)
    {
        var names = new List<string>();
        var bytes = new List<long>();
        for (var pair = 0; pair < count; pair++)
        {
            var step = 0;
            var mark = GC.GetAllocatedBytesForCurrentThread();
            void Note(string name)
            {
                var now = GC.GetAllocatedBytesForCurrentThread();
                if (pair == 0) { names.Add(name); bytes.Add(0); }
                bytes[step++] += now - mark;
                mark = GC.GetAllocatedBytesForCurrentThread();
            }
            using var client = TlsConnection.CreateClient(clientOptions, "example.test");
            Note("client: create (ClientHello)");
            using var server = TlsConnection.CreateServer(serverOptions);
            Note("server: create");
            var flight = 0;
            var scratch = new byte[64 * 1024];
            Note("(harness buffer)");
            for (var round = 0; round < 10 && (client.HasPendingOutput || server.HasPendingOutput || !client.IsHandshakeComplete || !server.IsHandshakeComplete); round++)
            {
                foreach (var (from, to, side) in new[] { (client, server, "server"), (server, client, "client") })
                {
                    if (!from.HasPendingOutput) continue;
                    var length = from.PendingOutput.Length;
                    from.PendingOutput.CopyTo(scratch);
                    from.ConsumeOutput(length);
                    mark = GC.GetAllocatedBytesForCurrentThread();
                    to.ReceiveTls(scratch.AsSpan(0, length));
                    Note($"{side}: flight {++flight} ({length} B) received");
                }
            }
            if (!client.IsHandshakeComplete || !server.IsHandshakeComplete) throw new InvalidOperationException("handshake did not complete");
        }
        long total = 0;
        Console.WriteLine($"{mode}: managed bytes per step, mean of {count} pairs");
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].StartsWith('(')) continue;
            total += bytes[i] / count;
            Console.WriteLine($"  {bytes[i] / count,8:N0} B  {names[i]}");
        }
        Console.WriteLine($"  {total,8:N0} B  pair (harness excluded)");
        return 0;
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
