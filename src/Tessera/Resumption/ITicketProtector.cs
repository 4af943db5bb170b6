namespace Tessera.Resumption;

/// <summary>
/// Turns the server's session state into the opaque ticket the client carries, and back. Stateless
/// implementations seal the state into the ticket (<see cref="TicketKeyRing"/>); stateful ones keep it and hand
/// out an identifier (<see cref="ServerSessionCache"/>). Implementations must be thread-safe.
/// </summary>
public interface ITicketProtector
{
    /// <summary>The ticket that stands for <paramref name="state"/> (secret): sealed, or an identifier of where it is kept.</summary>
    byte[] Protect(ReadOnlySpan<byte> state, DateTimeOffset now);

    /// <summary>The state, or null when the ticket is unknown, tampered, or sealed with a key no longer accepted.</summary>
    byte[]? Unprotect(ReadOnlySpan<byte> ticket, DateTimeOffset now);
}
