using System.Net;
using System.Net.Sockets;
using Tessera.Connection;
using Tessera.Proxy.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests;

/// <summary>
/// Clients that open a connection, send half a ClientHello and stall. They must not stop other clients from being
/// served, one address must not hold more than its share of handshakes, and every stalled one ends at the handshake
/// timeout. (How much they cost in handshake rate is measured in bench/slowloris.sh, not asserted here.)
/// </summary>
public sealed class SlowlorisTests(TestPki pki) : IClassFixture<TestPki>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_Thousand_Half_Open_Handshakes_Do_Not_Stop_Other_Clients_And_All_End_At_The_Timeout()
    {
        await using var backend = new EchoBackend();
        var tls = pki.Server() with { HandshakeTimeout = TimeSpan.FromSeconds(3) };
        await using var proxy = new RunningProxy(RunningProxy.Options(tls, backend.Port));
        // 1,000 stalled handshakes from 20 addresses (127.0.0.2–21), 50 each: under the per-address cap, so all are held.
        // Both ends live in this process (two descriptors each), so a machine with a low open-files limit gets fewer.
        var perAddress = Math.Min(50, (OpenFilesLimit() - 300) / 2 / 20);
        var total = perAddress * 20;
        var stalled = await StallAsync(proxy.Port, Enumerable.Range(2, 20).Select(i => IPAddress.Parse($"127.0.0.{i}")), perAddress);
        try
        {
            Assert.True(total >= 400, $"the open-files limit allows only {total} stalled connections");
            Assert.Equal(total, stalled.Count);
            for (var i = 0; i < 20; i++)
            {
                var (tcp, client) = await Clients.ConnectAsync(proxy.Port, pki.Client());
                using (tcp)
                await using (client)
                {
                    await client.WriteAsync("x"u8.ToArray());
                    Assert.Equal("x"u8.ToArray(), await Clients.ReadAsync(client, 1, Timeout));
                }
            }
            var deadline = DateTime.UtcNow + Timeout;
            while (proxy.Records.Count(r => r.Outcome == ProxyOutcome.HandshakeFailed) < total && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Equal(total, proxy.Records.Count(r => r.Outcome == ProxyOutcome.HandshakeFailed));
            Assert.Equal(0, proxy.Records.Count(r => r.Outcome == ProxyOutcome.Refused));
        }
        finally
        {
            foreach (var s in stalled) s.Dispose();
        }
    }

    [Fact]
    public async Task One_Address_Cannot_Hold_More_Than_Its_Share_Of_Handshakes()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port) with { MaxHandshakesPerClient = 10 });
        var stalled = await StallAsync(proxy.Port, [IPAddress.Parse("127.0.0.60")], perAddress: 30);
        try
        {
            var refused = await proxy.RecordsAsync(20, Timeout);
            Assert.Equal(20, refused.Count(r => r.Outcome == ProxyOutcome.Refused));
            Assert.Contains("127.0.0.60 already has 10 handshakes in progress", refused[0].Detail, StringComparison.Ordinal);
            // Another address is served meanwhile.
            var (tcp, client) = await Clients.ConnectAsync(proxy.Port, pki.Client());
            using (tcp)
            await using (client)
                Assert.True(client.Connection.IsHandshakeComplete);
        }
        finally
        {
            foreach (var s in stalled) s.Dispose();
        }
    }

    /// <summary>This process's soft limit on open files (.NET raises it to the hard limit at start-up).</summary>
    private static int OpenFilesLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            var soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return soft == "unlimited" ? int.MaxValue / 4 : int.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("no 'Max open files' line in /proc/self/limits");
    }

    /// <summary>Opens connections from each source address and sends the first 60 bytes of a real ClientHello record.</summary>
    private async Task<List<Socket>> StallAsync(int port, IEnumerable<IPAddress> sources, int perAddress)
    {
        using var hello = TlsConnection.CreateClient(pki.Client(), "localhost");
        var half = hello.PendingOutput[..60].ToArray();
        var sockets = new List<Socket>();
        foreach (var source in sources)
        {
            for (var i = 0; i < perAddress; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(s);
                s.Bind(new IPEndPoint(source, 0));
                await s.ConnectAsync(IPAddress.Loopback, port);
                await s.SendAsync(half);
            }
        }
        return sockets;
    }
}
