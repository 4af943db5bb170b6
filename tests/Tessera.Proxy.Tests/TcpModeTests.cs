using System.Buffers.Binary;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera.Interop.Tests.Support;
using Tessera.Proxy.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests;

/// <summary>`tessera proxy` in tcp mode: TLS terminated by Tessera, plaintext relayed to a loopback echo backend.</summary>
public sealed class TcpModeTests(TestPki pki) : IClassFixture<TestPki>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task OpenSslClient_Through_The_Proxy_Is_Echoed_By_The_Backend()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port));
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{proxy.Port} -servername localhost -CAfile {pki.RootPem} -verify_return_error -quiet");
        await client.StandardInput.WriteAsync("hello through the proxy\n"u8.ToArray());
        await client.StandardInput.FlushAsync();
        await client.WaitForOutputAsync("hello through the proxy", Timeout);
    }

    [Theory]
    [InlineData("--http2", "h2", "2")]
    [InlineData("--http1.1", "http/1.1", "1.1")]
    public async Task Curl_Through_The_Tcp_Mode_Speaks_The_Protocol_Alpn_Chose_To_The_Backend(string flag, string alpn, string httpVersion)
    {
        // The tcp mode relays bytes: after ALPN h2 the backend must speak HTTP/2 itself (h2c, prior knowledge).
        await using var backend = new HttpBackend(alpn == "h2" ? HttpProtocols.Http2 : HttpProtocols.Http1);
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(alpn), backend.Port));
        var (status, body, version) = await HttpModeTests.CurlAsync(pki, proxy.Port, flag, "/through/tcp");
        Assert.Equal(200, status);
        Assert.Equal(httpVersion, version);
        Assert.Contains($"protocol={(alpn == "h2" ? "HTTP/2" : "HTTP/1.1")}\n", body);
        Assert.Contains("request=GET /through/tcp\n", body);
        Assert.Contains("x-forwarded-for=\n", body);   // bytes, untouched: the tcp mode adds no header
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(alpn, record.Alpn);
    }

    [Fact]
    public async Task Early_Data_Reaches_The_Backend_Once_The_Handshake_Completes_And_Is_Recorded()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server() with { MaxEarlyData = 16_384 }, backend.Port));
        var client = pki.Client();   // one options object: its session store keeps the ticket for the second connection
        var (tcp1, tls1) = await Clients.ConnectAsync(proxy.Port, client);
        using (tcp1)
        await using (tls1)
        {
            await tls1.WriteAsync("first"u8.ToArray());
            await tls1.ShutdownAsync();
            Assert.Equal("first", Encoding.ASCII.GetString(await Clients.ReadAsync(tls1, int.MaxValue, Timeout)));   // reading also takes the tickets
        }
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await using (var tls = new TlsStream(tcp.GetStream()))
        {
            await tls.AuthenticateAsClientAsync(client, "localhost", "zero-rtt "u8.ToArray()).WaitAsync(Timeout);
            Assert.True(tls.Connection.WasResumed);
            Assert.True(tls.Connection.EarlyDataAccepted);
            await tls.WriteAsync("then 1-rtt"u8.ToArray());
            await tls.ShutdownAsync();
            Assert.Equal("zero-rtt then 1-rtt", Encoding.ASCII.GetString(await Clients.ReadAsync(tls, int.MaxValue, Timeout)));
        }
        var records = await proxy.RecordsAsync(2, Timeout);
        Assert.Equal(0, records[0].EarlyData);
        Assert.Equal(9, records[1].EarlyData);
        Assert.True(records[1].Resumed);
    }

    [Fact]
    public async Task Tessera_Client_Gets_Every_Byte_Back_And_Close_Notify_Ends_Both_Sides()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port));
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client());
        using (tcp)
        await using (tls)
        {
            var payload = new byte[200_000];
            Random.Shared.NextBytes(payload);
            var reading = Clients.ReadAsync(tls, int.MaxValue, Timeout);   // until the proxy's close_notify
            await tls.WriteAsync(payload);
            await tls.ShutdownAsync();                                     // close_notify: the backend sees end of stream, echoes the rest, closes
            var echoed = await reading;
            Assert.Equal(payload, echoed);
            Assert.True(tls.Connection.IsPeerClosed, "the proxy ended with close_notify");
            // Certificate compression is on by default (RFC 8879): the proxy's certificate arrived Brotli-compressed.
            Assert.Equal(Wire.CertificateCompressionAlgorithm.Brotli, tls.Connection.ReceivedCertificateCompression?.Algorithm);
        }
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(ProxyOutcome.Completed, record.Outcome);
        Assert.Equal(200_000, record.BytesFromClient);
        Assert.Equal(200_000, record.BytesToClient);
        Assert.Equal("TLS 1.3", record.Version);
        Assert.Equal("localhost", record.ServerName);
    }

    [Fact]
    public async Task Proxy_Protocol_V2_Tells_The_Backend_The_Client_Address_Sni_Alpn_And_Version()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server("h2"), backend.Port, proxyProtocol: true));
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client("h2"));
        var clientEndPoint = (IPEndPoint)tcp.Client.LocalEndPoint!;
        using (tcp)
        await using (tls)
        {
            await tls.WriteAsync("ping"u8.ToArray());
            await tls.ShutdownAsync();
            await Clients.ReadAsync(tls, int.MaxValue, Timeout);
        }
        var first = Assert.Single(backend.Received);
        Assert.True(first.AsSpan().StartsWith(ProxyProtocolV2.Signature), "the header comes first");
        Assert.Equal(0x21, first[12]);                         // v2, PROXY
        Assert.Equal(0x11, first[13]);                         // TCP over IPv4
        var length = BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(14));
        Assert.True(first.Length >= 16 + length, "the whole header arrived");
        Assert.Equal(IPAddress.Loopback, new IPAddress(first.AsSpan(16, 4)));
        Assert.Equal(IPAddress.Loopback, new IPAddress(first.AsSpan(20, 4)));
        Assert.Equal(clientEndPoint.Port, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(24)));
        Assert.Equal(proxy.Port, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(26)));
        var tlvs = Tlvs(first.AsSpan(28, length - 12));
        Assert.Equal("h2", Encoding.ASCII.GetString(tlvs[0x01]));
        Assert.Equal("localhost", Encoding.ASCII.GetString(tlvs[0x02]));
        var ssl = tlvs[0x20];
        Assert.Equal(0x01, ssl[0]);                            // PP2_CLIENT_SSL, no client certificate
        var sub = Tlvs(ssl.AsSpan(5));
        Assert.Equal("TLSv1.3", Encoding.ASCII.GetString(sub[0x21]));
        Assert.StartsWith("TLS_", Encoding.ASCII.GetString(sub[0x23]), StringComparison.Ordinal);
        Assert.Equal("ping", Encoding.ASCII.GetString(first.AsSpan(16 + length)));   // then the client's bytes, untouched
    }

    [Fact]
    public async Task Backend_Down_Closes_The_Client_Connection_And_Says_Why()
    {
        var nothingListens = Ports.Free();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), nothingListens));
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client());
        using (tcp)
        await using (tls)
        {
            Assert.Empty(await Clients.ReadAsync(tls, int.MaxValue, Timeout));
            Assert.True(tls.Connection.IsPeerClosed, "closed with close_notify, not cut");
        }
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(ProxyOutcome.BackendUnavailable, record.Outcome);
        Assert.Contains($"backend 127.0.0.1:{nothingListens}: connection refused", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Client_That_Resets_Ends_Its_Backend_Connection_At_Once()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port));   // idle timeout: 5 minutes
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client());
        await tls.WriteAsync("x"u8.ToArray());
        Assert.Equal("x"u8.ToArray(), await Clients.ReadAsync(tls, 1, Timeout));
        tcp.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);   // close with a reset, no close_notify
        tcp.Client.Close();
        tcp.Dispose();
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(ProxyOutcome.TransportError, record.Outcome);
        Assert.True(record.Duration < TimeSpan.FromSeconds(15), $"the relay lasted {record.Duration}");
        await tls.DisposeAsync();
    }

    [Fact]
    public async Task A_Silent_Connection_Is_Closed_After_The_Idle_Timeout()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port) with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client());
        using (tcp)
        await using (tls)
            Assert.Empty(await Clients.ReadAsync(tls, int.MaxValue, Timeout));
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(ProxyOutcome.IdleTimeout, record.Outcome);
    }

    [Fact]
    public async Task A_Failed_Handshake_Is_Reported_With_The_Reason()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server() with { MinVersion = Wire.ProtocolVersion.Tls13 }, backend.Port));
        var client = pki.Client() with { MaxVersion = Wire.ProtocolVersion.Tls12 };
        await Assert.ThrowsAsync<TlsException>(() => Clients.ConnectAsync(proxy.Port, client));
        var record = Assert.Single(await proxy.RecordsAsync(1, Timeout));
        Assert.Equal(ProxyOutcome.HandshakeFailed, record.Outcome);
        Assert.NotNull(record.Detail);
        Assert.Empty(backend.Received);   // the backend never heard of it
    }

    [Fact]
    public async Task Stopping_Drains_Open_Connections_And_Refuses_New_Ones()
    {
        await using var backend = new EchoBackend();
        await using var proxy = new RunningProxy(RunningProxy.Options(pki.Server(), backend.Port), drain: TimeSpan.FromSeconds(10));
        var (tcp, tls) = await Clients.ConnectAsync(proxy.Port, pki.Client());
        using (tcp)
        await using (tls)
        {
            await proxy.StopAsync();
            await Task.Delay(200);
            await Assert.ThrowsAnyAsync<Exception>(() => Clients.ConnectAsync(proxy.Port, pki.Client()));   // no longer accepting
            await tls.WriteAsync("still served"u8.ToArray());                                                // the open one still is
            Assert.Equal("still served", Encoding.ASCII.GetString(await Clients.ReadAsync(tls, 12, Timeout)));
            Assert.False(proxy.Running.IsCompleted, "the proxy waits for its open connection");
            await tls.ShutdownAsync();
            await Clients.ReadAsync(tls, int.MaxValue, Timeout);
        }
        await proxy.Running.WaitAsync(Timeout);
        Assert.Equal(ProxyOutcome.Completed, Assert.Single(proxy.Records).Outcome);
    }

    private static Dictionary<byte, byte[]> Tlvs(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<byte, byte[]>();
        while (data.Length >= 3)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
            result[data[0]] = data.Slice(3, length).ToArray();
            data = data[(3 + length)..];
        }
        return result;
    }
}
