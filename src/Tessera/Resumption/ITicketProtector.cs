#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Resumption;

/// <summary>
/// Turns the server's session state into the opaque ticket the client carries, and back. Stateless
/// implementations seal the state into the ticket (<see cref="TicketKeyRing"/>); stateful ones keep it and hand
/// out an identifier (<see cref="ServerSessionCache"/>). Implementations must be thread-safe.
/// </summary>
public interface ITicketProtector
{
    byte[] Protect(ReadOnlySpan<byte> state, DateTimeOffset now);

    /// <summary>The state, or null when the ticket is unknown, tampered, or sealed with a key no longer accepted.</summary>
    byte[]? Unprotect(ReadOnlySpan<byte> ticket, DateTimeOffset now);
}
