namespace Tessera.Wire;

/// <summary>
/// RFC 8422 §5.4 ServerKeyExchange for ECDHE: ServerECDHParams (named_curve, group, public point) and a
/// signature over client_random + server_random + params with a TLS 1.2 signature scheme (RFC 5246 §7.4.1.4.1).
/// </summary>
internal sealed class ServerKeyExchangeEcdhe
{
    private const byte NamedCurveType = 3;

    public required NamedGroup Group { get; init; }
    public required byte[] PublicKey { get; init; }
    public required SignatureScheme Scheme { get; init; }
    public required byte[] Signature { get; init; }

    /// <summary>The encoded ServerECDHParams, which is what the signature covers after the two randoms.</summary>
    public byte[] Params => EncodeParams(Group, PublicKey);

    public static byte[] EncodeParams(NamedGroup group, ReadOnlySpan<byte> publicKey)
    {
        var w = new TlsWriter(4 + publicKey.Length);
        w.WriteUInt8(NamedCurveType);
        w.WriteUInt16((ushort)group);
        w.WriteVector8(publicKey);
        return w.ToArrayAndRelease();
    }

    /// <summary>client_random + server_random + ServerECDHParams.</summary>
    public static byte[] SignedContent(ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, ReadOnlySpan<byte> parameters)
    {
        var content = new byte[64 + parameters.Length];
        clientRandom.CopyTo(content);
        serverRandom.CopyTo(content.AsSpan(32));
        parameters.CopyTo(content.AsSpan(64));
        return content;
    }

    public static ServerKeyExchangeEcdhe Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var curveType = r.ReadUInt8();
        if (curveType != NamedCurveType)
            throw TlsException.Illegal($"ServerKeyExchange uses curve type {curveType}; only named curves are allowed (RFC 8422 §5.4)");
        var group = (NamedGroup)r.ReadUInt16();
        var point = r.ReadVector8();
        if (point.IsEmpty) throw TlsException.DecodeError("ServerKeyExchange has an empty public key");
        var scheme = (SignatureScheme)r.ReadUInt16();
        var signature = r.ReadVector16();
        if (signature.IsEmpty) throw TlsException.DecodeError("ServerKeyExchange has an empty signature");
        r.ExpectEnd("ServerKeyExchange");
        return new ServerKeyExchangeEcdhe { Group = group, PublicKey = point.ToArray(), Scheme = scheme, Signature = signature.ToArray() };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.ServerKeyExchange, w =>
    {
        w.WriteBytes(Params);
        w.WriteUInt16((ushort)Scheme);
        w.WriteVector16(Signature);
    });
}
