using System.Net.Sockets;
using System.Text;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Certificates;
using Tessera.Connection;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// RFC 8470 on Kestrel + Tessera: a GET in 0-RTT is served and marked as early data; a POST in 0-RTT gets 425 and
/// succeeds once when sent again after the handshake; a replayed 0-RTT first flight never reaches the application.
/// </summary>
public sealed class EarlyDataTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static Samples.Kestrel.SampleSettings EarlyServer() =>
        SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with { MaxEarlyData = 16384 }) with { Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1 };

    private static TlsClientOptions ClientOptions() => new() { TrustStore = TrustStore.FromPemFile(KestrelPki.Shared.RootFile), ApplicationProtocols = ["http/1.1"] };

    private static byte[] Request(string method, string path) =>
        Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

    [Fact]
    public async Task GetIn0Rtt_IsServed_AndMarkedAsEarlyData()
    {
        await using var host = await SampleHost.StartAsync(EarlyServer());
        var options = ClientOptions();
        await GetTicketAsync(host.Port, options);
        await using var c = await Connection.OpenAsync(host.Port, options, Request("GET", "/"));
        Assert.True(c.Tls.Connection.EarlyDataAccepted);
        var answer = await c.ReadResponseAsync();
        Assert.True(answer.Contains("\"isEarlyData\": true", StringComparison.Ordinal), answer);
        Assert.Contains("\"earlyData\": \"accepted\"", answer, StringComparison.Ordinal);
        // The next request on the connection came after the handshake: not early.
        await c.Tls.WriteAsync(Request("GET", "/"));
        Assert.Contains("\"isEarlyData\": false", await c.ReadResponseAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostIn0Rtt_Gets425_AndIsServedOnceWhenSentAgainAfterTheHandshake()
    {
        await using var host = await SampleHost.StartAsync(EarlyServer());
        var options = ClientOptions();
        await GetTicketAsync(host.Port, options);
        await using var c = await Connection.OpenAsync(host.Port, options, Request("POST", "/count"));
        Assert.True(c.Tls.Connection.EarlyDataAccepted);
        Assert.StartsWith("HTTP/1.1 425", await c.ReadResponseAsync(), StringComparison.Ordinal);
        await c.Tls.WriteAsync(Request("POST", "/count"));
        var retried = await c.ReadResponseAsync();
        Assert.StartsWith("HTTP/1.1 200", retried, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n1\n", retried, StringComparison.Ordinal);   // the first and only time the app saw it
    }

    [Fact]
    public async Task ARequestForwardedWithEarlyDataHeader_IsTreatedAsEarly()
    {
        // RFC 8470 §5.1: a proxy in front that received the request in early data says so with "Early-Data: 1".
        await using var host = await SampleHost.StartAsync(EarlyServer());
        await using var c = await Connection.OpenAsync(host.Port, ClientOptions() with { SessionStore = null }, null);
        await c.Tls.WriteAsync(Encoding.ASCII.GetBytes("POST /count HTTP/1.1\r\nHost: localhost\r\nEarly-Data: 1\r\nContent-Length: 0\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 425", await c.ReadResponseAsync(), StringComparison.Ordinal);
        await c.Tls.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\nEarly-Data: 1\r\n\r\n"));
        Assert.Contains("\"isEarlyData\": true", await c.ReadResponseAsync(), StringComparison.Ordinal);
        await c.Tls.WriteAsync(Request("POST", "/count"));
        Assert.EndsWith("\r\n\r\n1\n", await c.ReadResponseAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplayedZeroRttFirstFlight_NeverReachesTheApplication()
    {
        await using var host = await SampleHost.StartAsync(EarlyServer());
        var options = ClientOptions();
        await GetTicketAsync(host.Port, options);
        byte[] flight;
        await using (var c = await Connection.OpenAsync(host.Port, options, Request("GET", "/count")))
        {
            Assert.True(c.Tls.Connection.EarlyDataAccepted);
            Assert.EndsWith("\r\n\r\n1\n", await c.ReadResponseAsync(), StringComparison.Ordinal);
            flight = c.FirstFlight;
        }
        // An attacker sends the recorded ClientHello and early data again: the anti-replay store refuses the 0-RTT part.
        using (var replay = new TcpClient())
        {
            await replay.ConnectAsync("127.0.0.1", host.Port);
            var stream = replay.GetStream();
            await stream.WriteAsync(flight);
            var buffer = new byte[16384];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                while (await stream.ReadAsync(buffer, cts.Token) > 0) { }   // the server's flight, then nothing it can use
            }
            catch (OperationCanceledException)
            {
                // The replayer cannot finish the handshake; the server waits for a Finished that never comes.
            }
        }
        await using var check = await Connection.OpenAsync(host.Port, options with { SessionStore = null }, null);
        await check.Tls.WriteAsync(Request("GET", "/count"));
        Assert.EndsWith("\r\n\r\n2\n", await check.ReadResponseAsync(), StringComparison.Ordinal);   // not 3
    }

    /// <summary>One full handshake and request, read to the end so the tickets are stored.</summary>
    private static async Task GetTicketAsync(int port, TlsClientOptions options)
    {
        await using var c = await Connection.OpenAsync(port, options, null);
        await c.Tls.WriteAsync(Request("GET", "/"));
        await c.ReadResponseAsync();
        // Tickets come right after the handshake; one more round trip makes sure they were read.
        await c.Tls.WriteAsync(Request("GET", "/"));
        await c.ReadResponseAsync();
        Assert.NotNull(options.SessionStore);
    }

    private sealed class Connection : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly StringBuilder _pending = new();

        private Connection(TcpClient tcp, TlsStream tls, Recording recording)
        {
            _tcp = tcp;
            Tls = tls;
            FirstFlightRecording = recording;
        }

        public TlsStream Tls { get; }
        private Recording FirstFlightRecording { get; }
        public byte[] FirstFlight => FirstFlightRecording.FirstFlight;

        public static async Task<Connection> OpenAsync(int port, TlsClientOptions options, byte[]? earlyData)
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Timeout);
            var recording = new Recording(tcp.GetStream());
            var tls = new TlsStream(recording);
            await tls.AuthenticateAsClientAsync(options, "localhost", earlyData ?? ReadOnlyMemory<byte>.Empty).WaitAsync(Timeout);
            return new Connection(tcp, tls, recording);
        }

        /// <summary>One HTTP/1.1 response (headers and Content-Length body) as text.</summary>
        public async Task<string> ReadResponseAsync()
        {
            var buffer = new byte[16384];
            while (true)
            {
                var text = _pending.ToString();
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (text.Length >= end + 4 + length)
                    {
                        _pending.Remove(0, end + 4 + length);
                        return text[..(end + 4 + length)];
                    }
                }
                var n = await Tls.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
                if (n == 0) throw new IOException("the server closed before a whole response");
                _pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Tls.DisposeAsync();
            _tcp.Dispose();
        }
    }

    /// <summary>Keeps what the client wrote before it first read: its whole first flight (ClientHello and early data).</summary>
    private sealed class Recording(Stream inner) : Stream
    {
        private readonly MemoryStream _first = new();
        private bool _reading;

        public byte[] FirstFlight => _first.ToArray();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _reading = true;
            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_reading) _first.Write(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
