using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Records;
using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Tests.Records;

/// <summary>
/// An idle connection holds no record-sized buffers: over a socket, TlsStream waits for data with a zero-byte read and
/// gives its buffers back to the pool first; the next record rents them again and arrives intact — small and large
/// records, a KeyUpdate, a refused TLS 1.2 renegotiation and close_notify alike.
/// </summary>
public sealed class IdleBufferTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void An_Empty_ByteBuffer_Gives_Its_Array_Back_And_Rents_Again_On_The_Next_Write()
    {
        using var buffer = new ByteBuffer(1024);
        buffer.Append("secret"u8);
        buffer.Trim();
        Assert.True(buffer.Capacity >= 1024);   // not empty: kept, with its bytes
        Assert.Equal("secret"u8.ToArray(), buffer.Readable.ToArray());

        buffer.Consume(buffer.Length);
        buffer.Trim();
        Assert.Equal(0, buffer.Capacity);

        buffer.Append("again"u8);
        Assert.True(buffer.Capacity >= 1024);   // the initial size, not just the five bytes
        Assert.Equal("again"u8.ToArray(), buffer.Readable.ToArray());
    }

    [Fact]
    public async Task A_TlsStream_Waiting_On_A_Socket_Holds_No_Buffers_And_Reads_Intact_Data_After()
    {
        var (client, server) = await ConnectAsync();
        await using (client)
        await using (server)
        {
            var received = new byte[64 * 1024];
            var read = server.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => server.HeldBufferBytes == 0, "the waiting server still holds buffers", read);
            Assert.False(read.IsCompleted);

            // A large write (several records) after the wait: every byte arrives, in order.
            var data = new byte[40_000];
            for (var i = 0; i < data.Length; i++) data[i] = (byte)(i * 7);
            await client.WriteAsync(data);
            var total = await read.WaitAsync(Timeout);
            while (total < data.Length) total += await server.ReadAsync(received.AsMemory(total)).AsTask().WaitAsync(Timeout);
            Assert.Equal(data, received.AsSpan(0, total).ToArray());

            // Idle again: the buffers go back again.
            var next = server.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => server.HeldBufferBytes == 0, "the server holds buffers after its second wait", next);
            await client.WriteAsync("ping"u8.ToArray());
            var n = await next.WaitAsync(Timeout);
            Assert.Equal("ping", Encoding.ASCII.GetString(received, 0, n));
        }
    }

    [Fact]
    public async Task A_Zero_Byte_Read_Waits_For_Data_And_Takes_None()
    {
        var (client, server) = await ConnectAsync();
        await using (client)
        await using (server)
        {
            var wait = server.ReadAsync(Memory<byte>.Empty).AsTask();
            await Task.Delay(200);
            Assert.False(wait.IsCompleted);   // nothing sent yet
            await client.WriteAsync("abc"u8.ToArray());
            Assert.Equal(0, await wait.WaitAsync(Timeout));
            var buffer = new byte[16];
            Assert.Equal(3, await server.ReadAsync(buffer).AsTask().WaitAsync(Timeout));   // the data is still there
            Assert.Equal("abc", Encoding.ASCII.GetString(buffer, 0, 3));

            // After the peer's close_notify a zero-byte read returns at once, and so does a real one (0).
            await client.ShutdownAsync();
            Assert.Equal(0, await server.ReadAsync(Memory<byte>.Empty).AsTask().WaitAsync(Timeout));
            Assert.Equal(0, await server.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_KeyUpdate_Arriving_At_A_Connection_That_Gave_Its_Buffers_Back_Is_Answered_And_Data_Flows_Both_Ways()
    {
        var (client, server) = await ConnectAsync(Pair.Client() with { RecordHandshakeEvents = true });
        await using (client)
        await using (server)
        {
            var received = new byte[64];
            var read = server.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => server.HeldBufferBytes == 0, "the waiting server still holds buffers", read);

            // RFC 8446 §4.6.3: the server reads the KeyUpdate with rented buffers, moves to the next read key, and
            // answers with its own KeyUpdate (update_requested); the record after it is read under the new key.
            await client.UpdateKeysAsync(requestPeerUpdate: true);
            await client.WriteAsync("after the update"u8.ToArray());
            var n = await read.WaitAsync(Timeout);
            Assert.Equal("after the update", Encoding.ASCII.GetString(received, 0, n));

            var back = new byte[64];
            var clientRead = client.ReadAsync(back).AsTask();
            await WaitUntilAsync(() => client.HeldBufferBytes == 0, "the waiting client still holds buffers", clientRead);
            await server.WriteAsync("under the server's next key"u8.ToArray());
            n = await clientRead.WaitAsync(Timeout);
            Assert.Equal("under the server's next key", Encoding.ASCII.GetString(back, 0, n));
            Assert.Single(client.Connection.HandshakeEvents, e => e.MessageType == Wire.HandshakeType.KeyUpdate && e.Direction == Diagnostics.TraceDirection.Received);

            var next = server.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => server.HeldBufferBytes == 0, "the server holds buffers after the update", next);
            await client.WriteAsync("x"u8.ToArray());
            Assert.Equal(1, await next.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_Tls12_HelloRequest_Arriving_While_Idle_Is_Refused_With_A_Warning_And_The_Data_Behind_It_Arrives()
    {
        var (client, server) = await ConnectAsync(Pair.Client() with { MaxVersion = Wire.ProtocolVersion.Tls12, RecordHandshakeEvents = true });
        await using (client)
        await using (server)
        {
            var received = new byte[64];
            var read = client.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => client.HeldBufferBytes == 0, "the waiting client still holds buffers", read);

            // A HelloRequest (RFC 5246 §7.4.1.1: type 0, empty) then data, in one flight: the client rents its buffers
            // again, refuses the renegotiation with a no_renegotiation warning, and reads on.
            server.Connection.WriteRecordForTests(Wire.ContentType.Handshake, [0, 0, 0, 0]);
            await server.WriteAsync("still here"u8.ToArray());
            var n = await read.WaitAsync(Timeout);
            Assert.Equal("still here", Encoding.ASCII.GetString(received, 0, n));
            Assert.Contains(client.Connection.HandshakeEvents, e => e.Name == "Alert no_renegotiation (warning)" && e.Direction == Diagnostics.TraceDirection.Sent);

            var next = client.ReadAsync(received).AsTask();
            await WaitUntilAsync(() => client.HeldBufferBytes == 0, "the client holds buffers after refusing", next);
            await server.WriteAsync("and again"u8.ToArray());
            n = await next.WaitAsync(Timeout);
            Assert.Equal("and again", Encoding.ASCII.GetString(received, 0, n));
        }
    }

    private static async Task<(TlsStream Client, TlsStream Server)> ConnectAsync(Connection.TlsClientOptions? clientOptions = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync();
        var clientSocket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverSocket = await accepting.WaitAsync(Timeout);
        var client = new TlsStream(new NetworkStream(clientSocket, ownsSocket: true));
        var server = new TlsStream(new NetworkStream(serverSocket, ownsSocket: true));
        var pki = Pair.Pki.Shared(KeyKind.EcdsaP256);
        await Task.WhenAll(
            client.AuthenticateAsClientAsync(clientOptions ?? Pair.Client(), "example.test"),
            server.AuthenticateAsServerAsync(Pair.Server(pki))).WaitAsync(Timeout);
        return (client, server);
    }

    /// <summary>Waits for <paramref name="condition"/>; a <paramref name="pendingRead"/> that ends meanwhile fails the test with its own error.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string failure, Task<int> pendingRead)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (pendingRead.IsCompleted)
            {
                var n = await pendingRead;   // rethrows the read's failure, if that is why it ended
                Assert.Fail($"{failure}: the read ended early with {n} bytes");
            }
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
