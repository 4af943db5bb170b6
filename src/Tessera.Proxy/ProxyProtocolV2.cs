using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Proxy;

/// <summary>
/// The PROXY protocol version 2 header (HAProxy's proxy-protocol.txt, §2.2): the binary form that tells a backend who
/// the client was. Written once, before any relayed byte. Besides the addresses it carries the TLVs a TLS terminator
/// knows: ALPN (0x01), the SNI name as authority (0x02), and PP2_TYPE_SSL (0x20) with the version and cipher.
/// </summary>
public static class ProxyProtocolV2
{
    /// <summary>The 12 bytes every v2 header starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private const byte VersionProxyCommand = 0x21;   // version 2, PROXY (not LOCAL)
    private const byte TcpOverIPv4 = 0x11;
    private const byte TcpOverIPv6 = 0x21;
    private const byte TypeAlpn = 0x01, TypeAuthority = 0x02, TypeSsl = 0x20, SubtypeSslVersion = 0x21, SubtypeSslCipher = 0x23;
    private const byte ClientSsl = 0x01, ClientCertConnection = 0x02;

    /// <summary>The TLS facts the header passes on, all optional.</summary>
    public sealed record TlsInfo(string? Alpn, string? ServerName, string? Version, string? Cipher, bool ClientCertificate);

    /// <summary>The header for a TCP connection from <paramref name="source"/> (the client) to <paramref name="destination"/> (this listener).</summary>
    public static byte[] Build(IPEndPoint source, IPEndPoint destination, TlsInfo? tls)
    {
        // An IPv4 client seen on a dual-stack socket is ::ffff:a.b.c.d; the backend should see a.b.c.d.
        var src = Unmap(source.Address);
        var dst = Unmap(destination.Address);
        var v4 = src.AddressFamily == AddressFamily.InterNetwork && dst.AddressFamily == AddressFamily.InterNetwork;
        if (!v4)
        {
            src = src.MapToIPv6();
            dst = dst.MapToIPv6();
        }
        var tlvs = Tlvs(tls);
        var addressLength = v4 ? 12 : 36;
        var header = new byte[16 + addressLength + tlvs.Length];
        Signature.CopyTo(header);
        header[12] = VersionProxyCommand;
        header[13] = v4 ? TcpOverIPv4 : TcpOverIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), checked((ushort)(addressLength + tlvs.Length)));
        var at = 16;
        at += Write(src, header.AsSpan(at));
        at += Write(dst, header.AsSpan(at));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at + 2), (ushort)destination.Port);
        tlvs.CopyTo(header.AsSpan(at + 4));
        return header;
    }

    private static IPAddress Unmap(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static int Write(IPAddress address, Span<byte> destination)
    {
        if (!address.TryWriteBytes(destination, out var written)) throw new ArgumentException($"cannot encode {address}");
        return written;
    }

    private static byte[] Tlvs(TlsInfo? tls)
    {
        if (tls is null) return [];
        using var body = new MemoryStream();
        if (tls.Alpn is not null) Tlv(body, TypeAlpn, Encoding.ASCII.GetBytes(tls.Alpn));
        if (tls.ServerName is not null) Tlv(body, TypeAuthority, Encoding.UTF8.GetBytes(tls.ServerName));
        using var ssl = new MemoryStream();
        ssl.WriteByte((byte)(ClientSsl | (tls.ClientCertificate ? ClientCertConnection : 0)));
        // verify: zero when the client presented a certificate and it was verified (the handshake refuses any other).
        Span<byte> verify = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(verify, tls.ClientCertificate ? 0u : 1u);
        ssl.Write(verify);
        if (tls.Version is not null) Tlv(ssl, SubtypeSslVersion, Encoding.ASCII.GetBytes(tls.Version));
        if (tls.Cipher is not null) Tlv(ssl, SubtypeSslCipher, Encoding.ASCII.GetBytes(tls.Cipher));
        Tlv(body, TypeSsl, ssl.ToArray());
        return body.ToArray();
    }

    private static void Tlv(Stream to, byte type, ReadOnlySpan<byte> value)
    {
        Span<byte> head = [type, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(head[1..], checked((ushort)value.Length));
        to.Write(head);
        to.Write(value);
    }
}
