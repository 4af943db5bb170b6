using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>A minimal HTTP CONNECT proxy on loopback: reads the CONNECT head, opens the tunnel, relays bytes; records what it saw.</summary>
internal sealed class ConnectProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _connects = [];
    private readonly MemoryStream _relayed = new();

    public ConnectProxy()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }
    public IReadOnlyList<string> Connects { get { lock (_connects) return [.. _connects]; } }
    /// <summary>Every byte relayed from the client to the server, to check that no request line went in clear text.</summary>
    public byte[] ClientBytes { get { lock (_relayed) return _relayed.ToArray(); } }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = TunnelAsync(client);
        }
    }

    private async Task TunnelAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0) return;
                head.Append((char)one[0]);
            }
            var line = head.ToString().Split("\r\n")[0];
            lock (_connects) _connects.Add(line);
            var target = line.Split(' ')[1];
            var colon = target.LastIndexOf(':');
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
            var up = upstream.GetStream();
            var toServer = Relay(stream, up, record: true);
            var toClient = Relay(up, stream, record: false);
            await Task.WhenAny(toServer, toClient);
        }
    }

    private async Task Relay(Stream from, Stream to, bool record)
    {
        var buffer = new byte[16384];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (record) lock (_relayed) _relayed.Write(buffer, 0, n);
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed: the tunnel is over.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
