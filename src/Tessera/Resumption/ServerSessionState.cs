using System.Text;
using Tessera.Wire;

namespace Tessera.Resumption;

/// <summary>
/// What a TLS 1.3 server needs to accept a ticket later (RFC 8446 §4.6.1): the PSK, the suite it belongs to, when
/// it was issued and for how long, the obfuscation value, and the SNI and ALPN of the original connection. Only
/// ever stored sealed (<see cref="TicketKeyRing"/>) or on the server (<see cref="ServerSessionCache"/>).
/// </summary>
internal sealed record ServerSessionState
{
    private const byte FormatVersion = 1;

    public required ProtocolVersion Version { get; init; }
    public required CipherSuite Suite { get; init; }
    public required byte[] Secret { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required uint LifetimeSeconds { get; init; }
    public required uint AgeAdd { get; init; }
    public uint MaxEarlyData { get; init; }
    public string? ServerName { get; init; }
    public string? ApplicationProtocol { get; init; }
    /// <summary>TLS 1.2: whether the session's master secret is an extended one (RFC 7627 §5.3).</summary>
    public bool ExtendedMasterSecret { get; init; }

    public byte[] Encode()
    {
        var w = new TlsWriter(128);
        w.WriteUInt8(FormatVersion);
        w.WriteUInt16((ushort)Version);
        w.WriteUInt16((ushort)Suite);
        w.WriteUInt32((uint)(IssuedAt.ToUnixTimeMilliseconds() >> 32));
        w.WriteUInt32((uint)IssuedAt.ToUnixTimeMilliseconds());
        w.WriteUInt32(LifetimeSeconds);
        w.WriteUInt32(AgeAdd);
        w.WriteUInt32(MaxEarlyData);
        w.WriteVector8(Secret);
        w.WriteVector16(Encoding.UTF8.GetBytes(ServerName ?? ""));
        w.WriteVector8(Encoding.UTF8.GetBytes(ApplicationProtocol ?? ""));
        w.WriteUInt8(ExtendedMasterSecret ? (byte)1 : (byte)0);
        return w.ToArrayAndRelease();
    }

    /// <summary>Null when the bytes are not a state this version of Tessera wrote.</summary>
    public static ServerSessionState? Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new TlsReader(data);
            if (r.ReadUInt8() != FormatVersion) return null;
            var version = (ProtocolVersion)r.ReadUInt16();
            var suite = (CipherSuite)r.ReadUInt16();
            var issued = ((long)r.ReadUInt32() << 32) | r.ReadUInt32();
            var state = new ServerSessionState
            {
                Version = version,
                Suite = suite,
                IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issued),
                LifetimeSeconds = r.ReadUInt32(),
                AgeAdd = r.ReadUInt32(),
                MaxEarlyData = r.ReadUInt32(),
                Secret = r.ReadVector8().ToArray(),
                ServerName = Empty(Encoding.UTF8.GetString(r.ReadVector16())),
                ApplicationProtocol = Empty(Encoding.UTF8.GetString(r.ReadVector8())),
                ExtendedMasterSecret = r.ReadUInt8() == 1,
            };
            r.ExpectEnd("session state");
            return state;
        }
        catch (TlsException)
        {
            return null;
        }
    }

    private static string? Empty(string s) => s.Length == 0 ? null : s;
}
