using Tessera.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Sends one probe per TCP connection and reads the server's first flight. A semaphore bounds how many connections
/// are open at once (a scan should not look like a flood), and each probe has its own deadline, so a server that
/// never answers costs one timeout, not a hang.
/// </summary>
internal sealed class Prober : IDisposable
{
    /// <summary>Largest first flight read: a long chain with OCSP staple fits; more is not a server we need to read further.</summary>
    private const int MaxFlight = 256 * 1024;
    /// <summary>RFC 5246 §6.2.1: a plaintext record is at most 2^14 bytes; a little slack for servers that pad.</summary>
    private const int MaxRecord = (1 << 14) + 2048;

    private readonly IPEndPoint _endpoint;
    private readonly SemaphoreSlim _slots;
    private int _count;

    public Prober(IPEndPoint endpoint, int concurrency, TimeSpan timeout)
    {
        _endpoint = endpoint;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>How many connections the scan has made so far.</summary>
    public int Connections => Volatile.Read(ref _count);

    public async Task<ProbeReply> SendAsync(byte[] hello, CancellationToken cancellationToken, bool sslv2 = false)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _count);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            using var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(_endpoint, deadline.Token);
            }
            catch (SocketException e)
            {
                return new ProbeReply { Outcome = ProbeOutcome.NoConnection, Detail = SocketErrorText.Of(e) };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ProbeReply { Outcome = ProbeOutcome.NoConnection, Detail = "connect timed out" };
            }
            try
            {
                await socket.SendAsync(hello, SocketFlags.None, deadline.Token);
                return await ReadFlightAsync(socket, sslv2, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ProbeReply { Outcome = ProbeOutcome.TimedOut, Detail = $"no answer within {Timeout.TotalSeconds:0.#} s" };
            }
            catch (SocketException e)
            {
                // A reset after the hello is how some stacks refuse a version or suite.
                return new ProbeReply { Outcome = ProbeOutcome.Closed, Detail = SocketErrorText.Of(e) };
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async Task<ProbeReply> ReadFlightAsync(Socket socket, bool sslv2, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFlight];
        var filled = 0;
        var parser = new FlightParser();
        while (true)
        {
            if (filled == buffer.Length)
                return new ProbeReply { Outcome = ProbeOutcome.Unintelligible, Detail = $"first flight longer than {MaxFlight} bytes" };
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (n == 0)
                return parser.Hello is not null ? parser.Reply() : new ProbeReply { Outcome = ProbeOutcome.Closed, Detail = filled == 0 ? null : "closed mid-record" };
            filled += n;
            if (sslv2 && filled >= 3 && (buffer[0] & 0x80) != 0)
                return buffer[2] == 4 ? new ProbeReply { Outcome = ProbeOutcome.Ssl2ServerHello } : new ProbeReply { Outcome = ProbeOutcome.Unintelligible, Detail = "SSL 2.0 record that is not SERVER-HELLO" };
            var reply = parser.Feed(buffer.AsSpan(0, filled));
            if (reply is not null) return reply;
        }
    }

    /// <summary>Records in, handshake messages out; says when the flight is complete enough to stop reading.</summary>
    private sealed class FlightParser
    {
        private readonly List<byte> _handshake = [];
        private readonly List<HandshakeMessage> _flight = [];
        private int _consumed;
        private int _handshakeConsumed;

        public ServerHello? Hello { get; private set; }

        public ProbeReply Reply() => new()
        {
            Outcome = Hello!.IsHelloRetryRequest ? ProbeOutcome.HelloRetryRequest : ProbeOutcome.ServerHello,
            Hello = Hello,
            Flight = _flight,
        };

        public ProbeReply? Feed(ReadOnlySpan<byte> data)
        {
            while (data.Length - _consumed >= 5)
            {
                var header = data.Slice(_consumed, 5);
                var type = (ContentType)header[0];
                var length = header[3] << 8 | header[4];
                if (header[1] != 3 || length > MaxRecord)
                    return Bad($"not a TLS record (bytes {header[0]:x2} {header[1]:x2} {header[2]:x2})");
                if (data.Length - _consumed - 5 < length) return null;
                var body = data.Slice(_consumed + 5, length);
                _consumed += 5 + length;
                switch (type)
                {
                    case ContentType.Alert:
                        if (body.Length < 2) return Bad("short alert");
                        // An alert after a ServerHello (e.g. the server refuses our extensions later) still ends the flight.
                        if (Hello is not null) return Reply();
                        return new ProbeReply { Outcome = ProbeOutcome.Alert, Alert = (AlertDescription)body[1] };
                    case ContentType.Handshake:
                        foreach (var b in body) _handshake.Add(b);
                        var done = ReadMessages();
                        if (done is not null) return done;
                        break;
                    case ContentType.ChangeCipherSpec:
                        if (Hello is not null) return Reply();   // TLS 1.3 middlebox CCS, or a resumed 1.2 session: the flight is over
                        return Bad("ChangeCipherSpec before ServerHello");
                    default:
                        if (Hello is not null) return Reply();   // encrypted TLS 1.3 records follow the ServerHello
                        return Bad($"record type {(byte)type} before ServerHello");
                }
            }
            return null;
        }

        private ProbeReply? ReadMessages()
        {
            while (_handshake.Count - _handshakeConsumed >= 4)
            {
                var type = (HandshakeType)_handshake[_handshakeConsumed];
                var length = _handshake[_handshakeConsumed + 1] << 16 | _handshake[_handshakeConsumed + 2] << 8 | _handshake[_handshakeConsumed + 3];
                if (length > MaxFlight) return Bad($"handshake message of {length} bytes");
                if (_handshake.Count - _handshakeConsumed - 4 < length) return null;
                var raw = new byte[4 + length];
                _handshake.CopyTo(_handshakeConsumed, raw, 0, raw.Length);
                _handshakeConsumed += raw.Length;
                var message = new HandshakeMessage(type, raw);
                if (Hello is null)
                {
                    if (type != HandshakeType.ServerHello) return Bad($"{HandshakeNames.Of(type)} before ServerHello");
                    try
                    {
                        Hello = ServerHello.Decode(message.Body);
                    }
                    catch (TlsException e)
                    {
                        return Bad($"ServerHello does not decode: {e.Message}");
                    }
                    // TLS 1.3 (and HelloRetryRequest): everything after ServerHello is encrypted or a new exchange.
                    if (Hello.IsHelloRetryRequest || TlsExtension.Find(Hello.Extensions, ExtensionType.SupportedVersions) is not null) return Reply();
                    continue;
                }
                _flight.Add(message);
                if (type == HandshakeType.ServerHelloDone) return Reply();
            }
            return null;
        }

        private static ProbeReply Bad(string why) => new() { Outcome = ProbeOutcome.Unintelligible, Detail = why };
    }

    public void Dispose() => _slots.Dispose();
}
