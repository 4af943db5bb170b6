using System.Buffers.Binary;
using System.Net.Sockets;
using Tessera.Wire;

namespace Tessera.Proxy;

/// <summary>
/// Reads a connection's ClientHello before any TLS is spoken, to learn the SNI name and so choose the site (and with it
/// the certificate, versions, client-auth policy, backend and mode) — what HAProxy's req.ssl_sni and nginx's
/// ssl_preread do. It only looks: the bytes are replayed to the handshake, which answers anything malformed with the
/// proper alert. Anything it cannot read as a ClientHello (another protocol, a fragment it will not wait for) means
/// "no name", so the default site's handshake gets to refuse it.
/// </summary>
internal static class ClientHelloSniffer
{
    /// <summary>RFC 8446 §5.1: a plaintext record carries at most 2^14 bytes.</summary>
    private const int MaxRecordBody = 16_384;

    /// <summary>
    /// A ClientHello larger than this is not waited for (the handshake still gets all of it). Real ones are under 2 KB,
    /// 3 KB with a post-quantum key share; this bounds what one connection makes the proxy hold before the handshake.
    /// </summary>
    internal const int MaxHello = 32 * 1024;

    /// <summary>What was read (to replay), the SNI name found in it if any, and whether it offers ALPN acme-tls/1 (an ACME validator, RFC 8737).</summary>
    internal readonly record struct Result(byte[] Buffer, int Length, string? ServerName, bool Closed, bool OffersAcmeTls = false);

    /// <summary>Reads until the whole ClientHello is in (or it cannot be one), bounded by <paramref name="cancellationToken"/>.</summary>
    public static async Task<Result> ReadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var length = 0;
        while (true)
        {
            switch (Inspect(buffer.AsSpan(0, length), out var name, out var acmeTls))
            {
                case Verdict.Found:
                    return new Result(buffer, length, name, false, acmeTls);
                case Verdict.NotAHello:
                    return new Result(buffer, length, null, false);
            }
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxHello + 5 * 8) return new Result(buffer, length, null, false);
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxHello + 5 * 8));
            }
            var n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0) return new Result(buffer, length, null, true);
            length += n;
        }
    }

    internal enum Verdict { NeedMore, Found, NotAHello }

    /// <summary>Looks at the records read so far; <paramref name="name"/> is set with <see cref="Verdict.Found"/> (null: the hello has no SNI).</summary>
    internal static Verdict Inspect(ReadOnlySpan<byte> data, out string? name) => Inspect(data, out name, out _);

    /// <summary>As above, and whether the hello's ALPN list holds <c>acme-tls/1</c>.</summary>
    internal static Verdict Inspect(ReadOnlySpan<byte> data, out string? name, out bool offersAcmeTls)
    {
        name = null;
        offersAcmeTls = false;
        // The handshake message may span records (RFC 8446 §5.1); gather their bodies until it is whole.
        Span<byte> header = stackalloc byte[4];
        var gathered = new List<byte>(0);
        var offset = 0;
        var messageLength = -1;
        while (true)
        {
            if (data.Length - offset < 5) return Verdict.NeedMore;
            if (data[offset] != (byte)ContentType.Handshake || data[offset + 1] != 3) return Verdict.NotAHello;
            var recordLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 3)..]);
            if (recordLength == 0 || recordLength > MaxRecordBody) return Verdict.NotAHello;
            if (data.Length - offset - 5 < recordLength) return Verdict.NeedMore;
            foreach (var b in data.Slice(offset + 5, recordLength)) gathered.Add(b);
            offset += 5 + recordLength;
            if (messageLength < 0 && gathered.Count >= 4)
            {
                if (gathered[0] != (byte)HandshakeType.ClientHello) return Verdict.NotAHello;
                messageLength = gathered[1] << 16 | gathered[2] << 8 | gathered[3];
                if (messageLength > MaxHello) return Verdict.NotAHello;
            }
            if (messageLength >= 0 && gathered.Count >= 4 + messageLength) break;
        }
        try
        {
            var hello = ClientHello.Decode(gathered.ToArray().AsSpan(4, messageLength));
            if (TlsExtension.Find(hello.Extensions, ExtensionType.ServerName) is { } sni) name = ServerNameExtension.Read(sni);
            if (TlsExtension.Find(hello.Extensions, ExtensionType.ApplicationLayerProtocolNegotiation) is { } alpn)
                offersAcmeTls = AlpnExtension.Read(alpn).Contains(Tessera.Acme.TlsAlpn01Certificate.Protocol);
            return Verdict.Found;
        }
        catch (TlsException)
        {
            return Verdict.NotAHello;   // malformed: the handshake will say so with the right alert
        }
    }
}
