#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>Alert level byte. TLS 1.3 ignores it on receipt (RFC 8446 §6) but still sends it.</summary>
public enum AlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}
