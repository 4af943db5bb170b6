#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>RFC names for handshake messages.</summary>
public static class HandshakeNames
{
    public static string Of(HandshakeType type) => type switch
    {
        HandshakeType.HelloRequest => "HelloRequest",
        HandshakeType.ClientHello => "ClientHello",
        HandshakeType.ServerHello => "ServerHello",
        HandshakeType.NewSessionTicket => "NewSessionTicket",
        HandshakeType.EndOfEarlyData => "EndOfEarlyData",
        HandshakeType.EncryptedExtensions => "EncryptedExtensions",
        HandshakeType.Certificate => "Certificate",
        HandshakeType.ServerKeyExchange => "ServerKeyExchange",
        HandshakeType.CertificateRequest => "CertificateRequest",
        HandshakeType.ServerHelloDone => "ServerHelloDone",
        HandshakeType.CertificateVerify => "CertificateVerify",
        HandshakeType.ClientKeyExchange => "ClientKeyExchange",
        HandshakeType.Finished => "Finished",
        HandshakeType.CertificateStatus => "CertificateStatus",
        HandshakeType.KeyUpdate => "KeyUpdate",
        HandshakeType.CompressedCertificate => "CompressedCertificate",
        HandshakeType.MessageHash => "message_hash",
        _ => $"handshake({(byte)type})",
    };
}
