using System.Net.Security;
using System.Security.Authentication;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Managed allocation per handshake, client and server side separately, Tessera's TlsStream against SslStream: TLS 1.3,
/// X25519, the ECDSA P-256 leaf + intermediate, one byte each way (the client reads its tickets with it), then both
/// streams disposed. Why not BenchmarkDotNet: its MemoryDiagnoser counts the whole process, and a handshake needs both
/// sides. Here each side runs on a thread of its own over a blocking in-memory pipe whose buffers are allocated before
/// measuring, so every await completes synchronously on that thread and <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// is exactly that side's allocation (the pipe allocates nothing while it runs). HandshakeBenchmarks gives the pair
/// through BenchmarkDotNet, harness included.
/// Usage: `dotnet run -c Release --project bench/Tessera.Benchmarks -- --sides [count]`.
/// </summary>
public static class SideAllocation
{
    public static int Run(int count)
    {
        var pki = new BenchPki();
        var tesseraServer = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)], Groups = [NamedGroup.X25519] };
        var tesseraResuming = new TlsClientOptions { TrustStore = TrustStore.FromCertificates(pki.Root), Groups = [NamedGroup.X25519], MinVersion = ProtocolVersion.Tls13 };
        var tesseraFull = tesseraResuming with { SessionStore = null };
        SslServerAuthenticationOptions SslServer(bool resume) => new()
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(pki.Leaf, [pki.Intermediate], offline: true),
            EnabledSslProtocols = SslProtocols.Tls13, AllowTlsResume = resume,
        };
        SslClientAuthenticationOptions SslClient(bool resume) => new()
        {
            TargetHost = "example.test", EnabledSslProtocols = SslProtocols.Tls13, AllowTlsResume = resume,
            CertificateChainPolicy = pki.SslStreamChainPolicy(),
        };
        (object, object) sslFull = (SslClient(false), SslServer(false));
        (object, object) sslResumed = (SslClient(true), SslServer(true));

        Console.WriteLine($"Managed allocation per TLS 1.3 handshake (X25519, ECDSA P-256 + intermediate, 1 byte each way), {count} handshakes each, bytes per handshake");
        Console.WriteLine();
        Console.WriteLine("| Handshake | Side | SslStream | Tessera TlsStream | Tessera / SslStream |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var (name, resumed) in new[] { ("full", false), ("resumed", true) })
        {
            var ssl = Measure(count, resumed ? sslResumed : sslFull, SslStreamSide);
            var tessera = Measure(count, (resumed ? tesseraResuming : tesseraFull, tesseraServer), TesseraSide);
            Row(name, "client", ssl.Client, tessera.Client);
            Row(name, "server", ssl.Server, tessera.Server);
            Row(name, "pair", ssl.Client + ssl.Server, tessera.Client + tessera.Server);
        }
        return 0;
    }

    private static void Row(string handshake, string side, long ssl, long tessera) =>
        Console.WriteLine($"| {handshake} | {side} | {ssl:N0} | {tessera:N0} | {(double)tessera / ssl:0.00}× |");

    /// <summary>Runs <paramref name="count"/> handshakes (after as many again to warm up) and returns bytes per handshake per side.</summary>
    private static (long Client, long Server) Measure(int count, (object Client, object Server) options, Func<object, Stream, bool, long> side)
    {
        Run(count, options, side);   // warm-up: JIT tiers, caches, the first session for resumption
        return Run(count, options, side);
    }

    private static (long Client, long Server) Run(int count, (object Client, object Server) options, Func<object, Stream, bool, long> side)
    {
        var pipes = new (Stream Client, Stream Server)[count];
        for (var i = 0; i < pipes.Length; i++) pipes[i] = BlockingPipe.Create();
        long client = 0, server = 0;
        Exception? failure = null;
        var serverThread = new Thread(() =>
        {
            try { for (var i = 0; i < count; i++) server += side(options.Server, pipes[i].Server, false); }
            catch (Exception e) { failure = e; foreach (var p in pipes) ((BlockingPipe.End)p.Server).Abort(); }
        });
        serverThread.Start();
        try { for (var i = 0; i < count; i++) client += side(options.Client, pipes[i].Client, true); }
        catch (Exception e) { failure ??= e; foreach (var p in pipes) ((BlockingPipe.End)p.Client).Abort(); }
        serverThread.Join();
        if (failure is not null) throw new InvalidOperationException("a measured handshake failed", failure);
        return (client / count, server / count);
    }

    private static readonly byte[] Ping = [42];

    private static long SslStreamSide(object options, Stream transport, bool isClient)
    {
        var buffer = new byte[1];   // before the count starts, as the transport's own buffers are
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var ssl = new SslStream(transport))
        {
            if (isClient)
            {
                ssl.AuthenticateAsClientAsync((SslClientAuthenticationOptions)options).GetAwaiter().GetResult();
                ssl.WriteAsync(Ping).AsTask().GetAwaiter().GetResult();
                ssl.ReadExactlyAsync(buffer).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                ssl.AuthenticateAsServerAsync((SslServerAuthenticationOptions)options).GetAwaiter().GetResult();
                ssl.ReadExactlyAsync(buffer).AsTask().GetAwaiter().GetResult();
                ssl.WriteAsync(Ping).AsTask().GetAwaiter().GetResult();
            }
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long TesseraSide(object options, Stream transport, bool isClient)
    {
        var buffer = new byte[1];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var tls = new TlsStream(transport);
        if (isClient)
        {
            tls.AuthenticateAsClientAsync((TlsClientOptions)options, "example.test").GetAwaiter().GetResult();
            tls.WriteAsync(Ping).AsTask().GetAwaiter().GetResult();
            tls.ReadExactlyAsync(buffer).AsTask().GetAwaiter().GetResult();
        }
        else
        {
            tls.AuthenticateAsServerAsync((TlsServerOptions)options).GetAwaiter().GetResult();
            tls.ReadExactlyAsync(buffer).AsTask().GetAwaiter().GetResult();
            tls.WriteAsync(Ping).AsTask().GetAwaiter().GetResult();
        }
        tls.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Two streams joined by fixed buffers: a read blocks its thread until bytes come and then completes synchronously.</summary>
    private static class BlockingPipe
    {
        public static (Stream Client, Stream Server) Create()
        {
            var toServer = new Channel();
            var toClient = new Channel();
            return (new End(toClient, toServer), new End(toServer, toClient));
        }

        public sealed class Channel
        {
            public readonly byte[] Buffer = new byte[64 * 1024];
            public int Start, Count;
            public bool Closed;
        }

        public sealed class End(Channel inbound, Channel outbound) : SynchronousTransport
        {
            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                lock (inbound)
                {
                    while (inbound.Count == 0 && !inbound.Closed)
                        if (!Monitor.Wait(inbound, TimeSpan.FromSeconds(30))) throw new TimeoutException("the peer sent nothing for 30 s");
                    if (buffer.Length == 0) return new ValueTask<int>(0);
                    var n = Math.Min(buffer.Length, inbound.Count);
                    inbound.Buffer.AsSpan(inbound.Start, n).CopyTo(buffer.Span);
                    inbound.Start += n;
                    inbound.Count -= n;
                    if (inbound.Count == 0) inbound.Start = 0;
                    return new ValueTask<int>(n);
                }
            }

            public override void Write(ReadOnlySpan<byte> data)
            {
                lock (outbound)
                {
                    if (outbound.Start + outbound.Count + data.Length > outbound.Buffer.Length)
                    {
                        outbound.Buffer.AsSpan(outbound.Start, outbound.Count).CopyTo(outbound.Buffer);
                        outbound.Start = 0;
                    }
                    if (outbound.Count + data.Length > outbound.Buffer.Length) throw new InvalidOperationException("pipe buffer full");
                    data.CopyTo(outbound.Buffer.AsSpan(outbound.Start + outbound.Count));
                    outbound.Count += data.Length;
                    Monitor.PulseAll(outbound);
                }
            }

            public void Abort()
            {
                lock (inbound) { inbound.Closed = true; Monitor.PulseAll(inbound); }
                lock (outbound) { outbound.Closed = true; Monitor.PulseAll(outbound); }
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) lock (outbound) { outbound.Closed = true; Monitor.PulseAll(outbound); }
            }
        }
    }
}
