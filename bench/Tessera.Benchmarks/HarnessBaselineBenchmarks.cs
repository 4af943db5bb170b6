using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// What the handshake harness costs without any TLS: a fresh <see cref="InMemoryDuplex"/> and one byte each way, as
/// in <see cref="HandshakeSuite"/>. Subtract it from either stack's handshake figures to see that stack's own time and
/// allocation.
/// </summary>
[MemoryDiagnoser]
public class HarnessBaselineBenchmarks
{
    private static readonly byte[] Ping = [42];

    [Benchmark(Description = "Harness only (duplex + 1 byte each way, no TLS)")]
    public async Task HarnessOnly()
    {
        var (c, s) = InMemoryDuplex.Create();
        await using (c)
        await using (s)
        {
            await c.WriteAsync(Ping);
            var buffer = new byte[1];
            await s.ReadExactlyAsync(buffer);
            await s.WriteAsync(Ping);
            await c.ReadExactlyAsync(buffer);
        }
    }
}
