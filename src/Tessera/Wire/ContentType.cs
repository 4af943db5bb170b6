namespace Tessera.Wire;

/// <summary>Record content types (RFC 8446 §5.1).</summary>
public enum ContentType : byte
{
    /// <summary>invalid records (0).</summary>
    Invalid = 0,
    /// <summary>change_cipher_spec records (20).</summary>
    ChangeCipherSpec = 20,
    /// <summary>alert records (21).</summary>
    Alert = 21,
    /// <summary>handshake records (22).</summary>
    Handshake = 22,
    /// <summary>application_data records (23).</summary>
    ApplicationData = 23,
}
