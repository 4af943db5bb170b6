using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>TlsConnection counts application plaintext each way (what a proxy reports per connection).</summary>
public sealed class ApplicationByteCountTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(40_000)]   // several records
    public void Both_Sides_Count_What_Was_Written_And_Received(int size)
    {
        var (client, server) = Pair.Connect(Pair.Client(), Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        Assert.Equal(0, client.ApplicationBytesSent);
        Assert.Equal(0, server.ApplicationBytesReceived);
        var data = new byte[size];
        Pair.Exchange(client, server, data);
        Pair.Exchange(client, server, [1, 2, 3]);
        Assert.Equal(size + 3, client.ApplicationBytesSent);
        Assert.Equal(size + 3, client.ApplicationBytesReceived);
        Assert.Equal(size + 3, server.ApplicationBytesSent);
        Assert.Equal(size + 3, server.ApplicationBytesReceived);
    }
}
