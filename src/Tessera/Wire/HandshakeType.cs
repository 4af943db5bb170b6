#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>Handshake message types (RFC 8446 §4, RFC 5246 §7.4).</summary>
public enum HandshakeType : byte
{
    HelloRequest = 0,
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    EndOfEarlyData = 5,
    EncryptedExtensions = 8,
    Certificate = 11,
    ServerKeyExchange = 12,
    CertificateRequest = 13,
    ServerHelloDone = 14,
    CertificateVerify = 15,
    ClientKeyExchange = 16,
    Finished = 20,
    CertificateStatus = 22,
    KeyUpdate = 24,
    CompressedCertificate = 25,
    MessageHash = 254,
}
