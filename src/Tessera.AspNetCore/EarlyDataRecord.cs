using System.Buffers.Binary;

namespace Tessera.AspNetCore;

/// <summary>
/// Which requests on a connection began in TLS 1.3 early data (RFC 8470 §5.1), decided from the plaintext bytes that
/// arrived as 0-RTT data: for HTTP/2 the streams whose HEADERS frame starts there; for HTTP/1.1 the requests whose head
/// starts there, found by walking heads and their Content-Length bodies (a chunked body ends the walk: everything after
/// it belongs to that request). Errors lean towards "early", the safe side: such a request can only get 425 and be retried.
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
        // Walk the requests: a head, then the body its Content-Length announces. A request whose head starts in the
        // early bytes began there, even if the rest came later.
        for (var at = 0; at < early.Length;)
        {
            _http1Requests++;
            var headEnd = early[at..].IndexOf("\r\n\r\n"u8);
            if (headEnd < 0) break;
            var head = early.Slice(at, headEnd);
            if (ContainsChunked(head)) break;   // the rest is this request's body, however long
            at += headEnd + 4 + ContentLength(head);
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon < 0 || !System.Text.Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), "Content-Length"u8)) continue;
            return int.TryParse(line[(colon + 1)..].Trim((byte)' '), out var n) && n >= 0 ? n : int.MaxValue / 2;
        }
        return 0;
    }

    private static bool ContainsChunked(ReadOnlySpan<byte> head) => IndexOfIgnoreCase(head, "chunked"u8) >= 0;

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> word)
    {
        for (var i = 0; i + word.Length <= text.Length; i++)
            if (System.Text.Ascii.EqualsIgnoreCase(text.Slice(i, word.Length), word)) return i;
        return -1;
    }

    public bool IsEarlyHttp2Stream(int streamId) => _http2Streams.Contains(streamId);

    /// <summary>Called once per HTTP/1.1 request, in order: whether this one began in early data.</summary>
    public bool NextHttp1RequestIsEarly() => Interlocked.Increment(ref _http1Seen) <= _http1Requests;
}
