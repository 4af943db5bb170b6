namespace Tessera.Wire;

/// <summary>RFC 8422 §5.7 ClientKeyExchange for ECDHE: the client's ephemeral public key, opaque point&lt;1..2^8-1&gt;.</summary>
internal sealed class ClientKeyExchangeEcdhe
{
    public required byte[] PublicKey { get; init; }

    public static ClientKeyExchangeEcdhe Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var point = r.ReadVector8();
        if (point.IsEmpty) throw TlsException.DecodeError("ClientKeyExchange has an empty public key");
        r.ExpectEnd("ClientKeyExchange");
        return new ClientKeyExchangeEcdhe { PublicKey = point.ToArray() };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.ClientKeyExchange, w => w.WriteVector8(PublicKey));
}
