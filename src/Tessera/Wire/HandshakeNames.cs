namespace Tessera.Wire;

/// <summary>RFC names for handshake messages.</summary>
public static class HandshakeNames
{
    /// <summary>The message's name as the RFCs spell its structure ("ClientHello", "EncryptedExtensions"), or "handshake(N)".</summary>
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
