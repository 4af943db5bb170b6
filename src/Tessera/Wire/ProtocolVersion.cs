namespace Tessera.Wire;

/// <summary>Wire protocol versions.</summary>
public enum ProtocolVersion : ushort
{
    /// <summary>SSL 3.0 (refused) (0x0300).</summary>
    Ssl30 = 0x0300,
    /// <summary>TLS 1.0 (refused) (0x0301).</summary>
    Tls10 = 0x0301,
    /// <summary>TLS 1.1 (refused) (0x0302).</summary>
    Tls11 = 0x0302,
    /// <summary>TLS 1.2 (0x0303).</summary>
    Tls12 = 0x0303,
    /// <summary>TLS 1.3 (0x0304).</summary>
    Tls13 = 0x0304,
}
