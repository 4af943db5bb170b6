using System.Net.Sockets;
using System.Text;
using Tessera.Certificates;
using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera serve --http` behaves like `openssl s_server -www`: the request head may come in many records (empty ones
/// too), the answer is one record, HTTP/1.0 and "Connection: close" end with close_notify, HTTP/1.1 keeps the
/// connection. And the log: a client that just closes after a complete exchange is a debug line, not a failure.
/// </summary>
[Collection("tessera home")]
public sealed class ServeHttpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(ProtocolVersion.Tls13)]
    [InlineData(ProtocolVersion.Tls12)]
    public async Task Http10_RequestInManyRecords_GetsOneRecord_ThenCloseNotify(ProtocolVersion version)
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Mode = ServeMode.Http });
        using var client = await RawClient.ConnectAsync(serve.Port, version);
        // Byte by byte, with an empty application-data record before each byte (RFC 8446 §5.4 allows them).
        foreach (var b in "GET / HTTP/1.0\r\n\r\n"u8.ToArray())
        {
            client.Connection.WriteRecordForTests(ContentType.ApplicationData, []);
            client.Connection.Write([b]);
        }
        await client.FlushAsync();
        var (records, text) = await client.ReadUntilCloseNotifyAsync();
        Assert.Equal(1, records);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"version: {(version == ProtocolVersion.Tls13 ? "TLS1.3" : "TLS1.2")}", text, StringComparison.Ordinal);
        Assert.EndsWith("client certificate: none\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http11_KeepsTheConnection_UntilConnectionClose()
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Mode = ServeMode.Http });
        using var client = await RawClient.ConnectAsync(serve.Port, ProtocolVersion.Tls13);
        for (var i = 0; i < 2; i++)
        {
            client.Connection.Write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8);
            await client.FlushAsync();
            var answer = await client.ReadResponseAsync();
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("Connection: close", answer, StringComparison.Ordinal);
            Assert.False(client.Connection.IsPeerClosed);
        }
        client.Connection.Write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8);
        await client.FlushAsync();
        var (records, text) = await client.ReadUntilCloseNotifyAsync();
        Assert.Equal(1, records);
        Assert.Contains("Connection: close\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientThatClosesWithoutCloseNotify_IsADebugLine_NotAFailure(bool verbose)
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Verbose = verbose });
        using (var client = await RawClient.ConnectAsync(serve.Port, ProtocolVersion.Tls13))
        {
            client.Connection.Write("ping"u8);
            await client.FlushAsync();
            Assert.Equal("ping", await client.ReadTextAsync(4));
        }   // the socket closes here, with no close_notify
        var expected = verbose ? 2 : 1;
        for (var i = 0; i < 200 && Lines(serve).Length < expected; i++) await Task.Delay(25);
        await Task.Delay(200);   // a late warn line would show up here
        var lines = Lines(serve);
        Assert.Equal(expected, lines.Length);
        Assert.Contains(" info 127.0.0.1:", lines[0], StringComparison.Ordinal);
        if (verbose) Assert.Matches(@" debug 127\.0\.0\.1:\d+ closed without close_notify", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains(" warn ", StringComparison.Ordinal) || l.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_ClosesPolitely_SoTheServerLogsNoFailureAndNoUncleanClose()
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Verbose = true });
        var result = await BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", serve.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = 2,
            Duration = TimeSpan.FromSeconds(2),
        }, CancellationToken.None);
        Assert.Equal(0, result.Errors);
        Assert.True(result.Handshakes > 0);
        await Task.Delay(300);
        var lines = Lines(serve);
        Assert.DoesNotContain(lines, l => l.Contains(" warn ", StringComparison.Ordinal) || l.Contains(" debug ", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.Contains(" info ", StringComparison.Ordinal)) >= result.Handshakes);
    }

    private static string[] Lines(ServeFixture serve) =>
        serve.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("listening on", StringComparison.Ordinal)).ToArray();

    /// <summary>A Tessera client driven by hand over a socket, so a test decides how application data is cut into records.</summary>
    private sealed class RawClient : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;
        private readonly byte[] _buffer = new byte[64 * 1024];

        private RawClient(TcpClient tcp, TlsConnection connection)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            Connection = connection;
        }

        public TlsConnection Connection { get; }

        public static async Task<RawClient> ConnectAsync(int port, ProtocolVersion version)
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Timeout);
            var options = new TlsClientOptions { TrustStore = TrustStore.FromPemFile(TestHome.DevRoot), MinVersion = version, MaxVersion = version };
            var client = new RawClient(tcp, TlsConnection.CreateClient(options, "localhost"));
            await client.FlushAsync();
            while (!client.Connection.IsHandshakeComplete)
            {
                await client.ReceiveSomeAsync(c => c.Connection.ReceiveTls(c.LastRead));
                await client.FlushAsync();
            }
            return client;
        }

        private ReadOnlyMemory<byte> _last;
        private ReadOnlySpan<byte> LastRead => _last.Span;

        private async Task ReceiveSomeAsync(Action<RawClient> handle)
        {
            var n = await _stream.ReadAsync(_buffer).AsTask().WaitAsync(Timeout);
            if (n == 0) throw new IOException("the server closed the socket");
            _last = _buffer.AsMemory(0, n);
            handle(this);
        }

        public async Task FlushAsync()
        {
            var pending = Connection.PendingOutput.ToArray();
            Connection.ConsumeOutput(pending.Length);
            await _stream.WriteAsync(pending).AsTask().WaitAsync(Timeout);
        }

        /// <summary>Feeds the connection one record at a time and counts the records that carried application data.</summary>
        public async Task<(int Records, string Text)> ReadUntilCloseNotifyAsync()
        {
            var text = new StringBuilder();
            var records = 0;
            var pending = new List<byte>();
            while (!Connection.IsPeerClosed)
            {
                var n = await _stream.ReadAsync(_buffer).AsTask().WaitAsync(Timeout);
                if (n == 0) throw new IOException("the socket closed before close_notify");
                pending.AddRange(_buffer.AsSpan(0, n));
                while (pending.Count >= 5 && pending.Count >= 5 + ((pending[3] << 8) | pending[4]))
                {
                    var length = 5 + ((pending[3] << 8) | pending[4]);
                    var record = pending.GetRange(0, length).ToArray();
                    pending.RemoveRange(0, length);
                    Connection.ReceiveTls(record);
                    if (Connection.AvailablePlaintext > 0)
                    {
                        records++;
                        text.Append(ReadPlaintext());
                    }
                }
            }
            return (records, text.ToString());
        }

        public async Task<string> ReadResponseAsync()
        {
            var text = new StringBuilder();
            while (!Complete(text.ToString()))
            {
                await ReceiveSomeAsync(c => c.Connection.ReceiveTls(c.LastRead));
                text.Append(ReadPlaintext());
            }
            return text.ToString();
        }

        public async Task<string> ReadTextAsync(int count)
        {
            var text = new StringBuilder();
            while (text.Length < count)
            {
                await ReceiveSomeAsync(c => c.Connection.ReceiveTls(c.LastRead));
                text.Append(ReadPlaintext());
            }
            return text.ToString();
        }

        private static bool Complete(string response)
        {
            var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) return false;
            var header = response[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            return header is not null && response.Length - end - 4 >= int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        private string ReadPlaintext()
        {
            var bytes = new byte[Connection.AvailablePlaintext];
            var n = Connection.Read(bytes);
            return Encoding.UTF8.GetString(bytes, 0, n);
        }

        public void Dispose()
        {
            Connection.Dispose();
            _tcp.Dispose();
        }
    }
}
