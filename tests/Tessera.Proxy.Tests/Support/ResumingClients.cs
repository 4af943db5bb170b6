using System.Net;
using System.Net.Sockets;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy.Tests.Support;

/// <summary>What a run of <see cref="ResumingClients"/> saw.</summary>
public sealed record ResumingClientsResult(long Handshakes, long Resumed, long Errors, IReadOnlyList<string> FirstErrors);

/// <summary>
/// Load for fleet tests: a few Tessera clients, each with its own session store, connecting again and again until a
/// deadline; after its first handshake every client offers the session or ticket it was last given.
/// </summary>
public static class ResumingClients
{
    public static async Task<ResumingClientsResult> RunAsync(int port, TrustStore trust, ProtocolVersion version, int clients, TimeSpan duration)
    {
        long handshakes = 0, resumed = 0, errors = 0;
        var first = new List<string>();
        var deadline = DateTime.UtcNow + duration;

        async Task Client()
        {
            var options = new TlsClientOptions
            {
                TrustStore = trust,
                SessionStore = new Resumption.InMemoryClientSessionStore(),
                MinVersion = version,
                MaxVersion = version,
            };
            var buffer = new byte[4096];
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var tcp = new TcpClient { NoDelay = true };
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                    await using var tls = new TlsStream(tcp.GetStream());
                    await tls.AuthenticateAsClientAsync(options, "localhost", timeout.Token);
                    Interlocked.Increment(ref handshakes);
                    if (tls.Connection.WasResumed) Interlocked.Increment(ref resumed);
                    // Close politely and read to the proxy's close_notify (its backend closes at once): TLS 1.3 tickets
                    // arrive on the way. How that read ends does not judge the handshake, which is what is counted.
                    await tls.ShutdownAsync(timeout.Token);
                    try { while (await tls.ReadAsync(buffer, timeout.Token) > 0) { } }
                    catch (Exception e) when (e is TlsException or IOException or OperationCanceledException) { /* the round is over either way */ }
                }
                catch (Exception e) when (e is TlsException or IOException or SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    lock (first) if (first.Count < 5) first.Add(e.Message);
                }
            }
        }

        var running = new Task[clients];
        for (var i = 0; i < clients; i++) running[i] = Task.Run(Client);
        await Task.WhenAll(running);
        return new ResumingClientsResult(handshakes, resumed, errors, first);
    }
}
