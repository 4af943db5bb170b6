namespace Tessera.Fuzz;

/// <summary>
/// A clock that never moves: the handshake timeout never fires, and certificate validity is judged at one instant.
/// The instant lies after the day record-seeds.sh ran (OpenSSL dates a CRL's and an OCSP response's thisUpdate "now"),
/// so those seeds are current here.
/// </summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Instant = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Instant;
}
