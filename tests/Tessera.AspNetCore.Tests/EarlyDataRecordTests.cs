using System.Text;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>Which requests began in the 0-RTT bytes: HTTP/2 streams by their HEADERS frames, HTTP/1.1 requests by their heads.</summary>
public sealed class EarlyDataRecordTests
{
    private static byte[] Frame(byte type, int stream, int length) =>
        [(byte)(length >> 16), (byte)(length >> 8), (byte)length, type, 0, (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. new byte[length]];

    [Fact]
    public void Http2_StreamsWhoseHeadersBeganInEarlyData_AreEarly()
    {
        byte[] early =
        [
            .. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8,
            .. Frame(0x4, 0, 6),      // SETTINGS
            .. Frame(0x1, 1, 20),     // HEADERS, stream 1
            .. Frame(0x0, 1, 5),      // DATA, stream 1
            .. Frame(0x1, 3, 40)[..15], // HEADERS for stream 3, cut by the end of early data
        ];
        var record = new EarlyDataRecord(early);
        Assert.True(record.IsEarlyHttp2Stream(1));
        Assert.True(record.IsEarlyHttp2Stream(3));
        Assert.False(record.IsEarlyHttp2Stream(5));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 1)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHo", 2)]   // the second is cut: it still began early
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n", 2)]
    [InlineData("POST /c HTTP/1.1\r\nContent-Length: 6\r\n\r\nx\r\n\r\ny", 1)]                 // a body with a blank line in it
    [InlineData("POST /c HTTP/1.1\r\nContent-Length: 1\r\n\r\nxGET / HTTP/1.1\r\n\r\n", 2)]
    [InlineData("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", 1)]
    public void Http1_RequestsWhoseHeadsBeganInEarlyData_AreEarly(string early, int count)
    {
        var record = new EarlyDataRecord(Encoding.ASCII.GetBytes(early));
        for (var i = 0; i < count; i++) Assert.True(record.NextHttp1RequestIsEarly());
        Assert.False(record.NextHttp1RequestIsEarly());
    }
}
