namespace Tessera.Fuzz;

/// <summary>A clock that never moves: the handshake timeout never fires, and certificate validity is judged at one instant.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Instant = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Instant;
}
