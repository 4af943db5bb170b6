namespace Tessera.Wire;

/// <summary>RFC 8446 §4.3.1 EncryptedExtensions.</summary>
internal sealed class EncryptedExtensions
{
    public required List<TlsExtension> Extensions { get; init; }

    public static EncryptedExtensions Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        if (r.Remaining < 2) throw TlsException.DecodeError("EncryptedExtensions too short");
        var ext = TlsExtension.ReadBlock(ref r, "EncryptedExtensions");
        r.ExpectEnd("EncryptedExtensions");
        return new EncryptedExtensions { Extensions = ext };
    }

    public HandshakeMessage Encode() =>
        HandshakeMessage.Build(HandshakeType.EncryptedExtensions, w => TlsExtension.WriteBlock(w, Extensions));
}
