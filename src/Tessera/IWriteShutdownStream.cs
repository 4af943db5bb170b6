namespace Tessera;

/// <summary>
/// A transport stream that can end its sending direction (a TCP FIN) while it can still be read. After a fatal alert
/// <see cref="TlsStream"/> sends the FIN at once and only then drains what the peer already sent, so the peer sees
/// the end of the connection right behind the alert. A <see cref="System.Net.Sockets.NetworkStream"/> needs no marking;
/// implement it on a transport of your own (a stream over a socket or a pipe) so that it gets the same.
/// </summary>
public interface IWriteShutdownStream
{
    /// <summary>Ends the sending direction; false when this transport cannot (the caller then closes as before).</summary>
    bool TryShutdownWrite();
}
