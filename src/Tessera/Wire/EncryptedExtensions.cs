#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>RFC 8446 §4.3.1 EncryptedExtensions.</summary>
public sealed class EncryptedExtensions
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
