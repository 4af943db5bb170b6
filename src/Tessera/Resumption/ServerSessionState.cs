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
        Write(w, Version, Suite, Secret, IssuedAt, LifetimeSeconds, AgeAdd, MaxEarlyData, ServerName, ApplicationProtocol, ExtendedMasterSecret);
        return w.ToArrayAndRelease();
    }

    /// <summary>
    /// Writes a state from its fields straight into <paramref name="w"/> — the server sealing a ticket builds no state
    /// object, no copy of the secret and no array per name (the writer's buffer, cleared on release, is the one copy).
    /// </summary>
    internal static void Write(TlsWriter w, ProtocolVersion version, CipherSuite suite, ReadOnlySpan<byte> secret, DateTimeOffset issuedAt,
        uint lifetimeSeconds, uint ageAdd, uint maxEarlyData, string? serverName, string? applicationProtocol, bool extendedMasterSecret)
    {
        w.WriteUInt8(FormatVersion);
        w.WriteUInt16((ushort)version);
        w.WriteUInt16((ushort)suite);
        w.WriteUInt32((uint)(issuedAt.ToUnixTimeMilliseconds() >> 32));
        w.WriteUInt32((uint)issuedAt.ToUnixTimeMilliseconds());
        w.WriteUInt32(lifetimeSeconds);
        w.WriteUInt32(ageAdd);
        w.WriteUInt32(maxEarlyData);
        w.WriteVector8(secret);
        using (w.BeginVector(2)) w.WriteUtf8(serverName ?? "");
        using (w.BeginVector(1)) w.WriteUtf8(applicationProtocol ?? "");
        w.WriteUInt8(extendedMasterSecret ? (byte)1 : (byte)0);
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
