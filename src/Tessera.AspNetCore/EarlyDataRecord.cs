using System.Buffers.Binary;

namespace Tessera.AspNetCore;

/// <summary>
/// Which requests on a connection began in TLS 1.3 early data (RFC 8470 §5.1), decided from the plaintext bytes that
/// arrived as 0-RTT data: for HTTP/2 the streams whose HEADERS frame starts there; for HTTP/1.1 one request per head
/// terminator (a blank line) in those bytes, plus one if bytes follow the last (a request cut by the end of early data
/// began there). A body holding a blank line over-counts: more requests marked early is the safe direction, they can
/// only get 425 and be retried.
/// </summary>
internal sealed class EarlyDataRecord
{
    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;
    private readonly HashSet<int> _http2Streams = [];
    private int _http1Requests;
    private int _http1Seen;

    public EarlyDataRecord(ReadOnlySpan<byte> early)
    {
        if (early.IsEmpty) return;
        if (early.StartsWith(Http2Preface) || Http2Preface.StartsWith(early))
        {
            // RFC 9113 §4.1: 9-byte frame headers; type 0x1 is HEADERS. A frame cut by the end of early data still began there.
            for (var at = Http2Preface.Length; at + 9 <= early.Length;)
            {
                var length = (early[at] << 16) | (early[at + 1] << 8) | early[at + 2];
                var type = early[at + 3];
                var stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(early[(at + 5)..]) & 0x7fffffff);
                if (type == 0x1) _http2Streams.Add(stream);
                at += 9 + length;
            }
            return;
        }
        var afterLast = 0;
        for (var i = 3; i < early.Length; i++)
        {
            if (early[i] != '\n' || early[i - 1] != '\r' || early[i - 2] != '\n' || early[i - 3] != '\r') continue;
            _http1Requests++;
            afterLast = i + 1;
        }
        if (afterLast < early.Length) _http1Requests++;
    }

    public bool IsEarlyHttp2Stream(int streamId) => _http2Streams.Contains(streamId);

    /// <summary>Called once per HTTP/1.1 request, in order: whether this one began in early data.</summary>
    public bool NextHttp1RequestIsEarly() => Interlocked.Increment(ref _http1Seen) <= _http1Requests;
}
