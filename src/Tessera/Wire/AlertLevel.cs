namespace Tessera.Wire;

/// <summary>Alert level byte. TLS 1.3 ignores it on receipt (RFC 8446 §6) but still sends it.</summary>
internal enum AlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}
