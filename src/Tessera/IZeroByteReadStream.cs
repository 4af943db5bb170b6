namespace Tessera;

/// <summary>
/// A transport stream that can say whether a read into an empty buffer waits until data is available (as a socket's
/// does) rather than returning 0 at once. <see cref="TlsStream"/> waits that way on such a transport and gives its
/// buffers back to the pool while it waits. A <see cref="System.Net.Sockets.NetworkStream"/> needs no marking;
/// implement it on a transport of your own so an idle connection holds no buffer.
/// </summary>
public interface IZeroByteReadStream
{
    /// <summary>Whether a zero-byte read waits for data now.</summary>
    bool ZeroByteReadWaits { get; }
}
