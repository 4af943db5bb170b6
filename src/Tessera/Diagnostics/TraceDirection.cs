#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Diagnostics;

public enum TraceDirection
{
    Sent,
    Received,
}
