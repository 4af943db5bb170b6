namespace Tessera.Fuzz;

/// <summary>
/// How a <see cref="FuzzSession"/> ended on each side: "closed" (handshake done and the peer's close_notify
/// received), the alert the side failed with, or "incomplete"; and the application bytes each side received.
/// </summary>
internal sealed record FuzzSessionOutcome(string Client, string Server, long ClientReceived, long ServerReceived);
