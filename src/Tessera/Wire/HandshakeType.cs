namespace Tessera.Wire;

/// <summary>Handshake message types (RFC 8446 §4, RFC 5246 §7.4).</summary>
public enum HandshakeType : byte
{
    /// <summary>The HelloRequest handshake message (0).</summary>
    HelloRequest = 0,
    /// <summary>The ClientHello handshake message (1).</summary>
    ClientHello = 1,
    /// <summary>The ServerHello handshake message (2).</summary>
    ServerHello = 2,
    /// <summary>The NewSessionTicket handshake message (4).</summary>
    NewSessionTicket = 4,
    /// <summary>The EndOfEarlyData handshake message (5).</summary>
    EndOfEarlyData = 5,
    /// <summary>The EncryptedExtensions handshake message (8).</summary>
    EncryptedExtensions = 8,
    /// <summary>The Certificate handshake message (11).</summary>
    Certificate = 11,
    /// <summary>The ServerKeyExchange handshake message (12).</summary>
    ServerKeyExchange = 12,
    /// <summary>The CertificateRequest handshake message (13).</summary>
    CertificateRequest = 13,
    /// <summary>The ServerHelloDone handshake message (14).</summary>
    ServerHelloDone = 14,
    /// <summary>The CertificateVerify handshake message (15).</summary>
    CertificateVerify = 15,
    /// <summary>The ClientKeyExchange handshake message (16).</summary>
    ClientKeyExchange = 16,
    /// <summary>The Finished handshake message (20).</summary>
    Finished = 20,
    /// <summary>The CertificateStatus handshake message (22).</summary>
    CertificateStatus = 22,
    /// <summary>The KeyUpdate handshake message (24).</summary>
    KeyUpdate = 24,
    /// <summary>The CompressedCertificate handshake message (25).</summary>
    CompressedCertificate = 25,
    /// <summary>message_hash (254): the synthetic message that stands for ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446 §4.4.1).</summary>
    MessageHash = 254,
}
