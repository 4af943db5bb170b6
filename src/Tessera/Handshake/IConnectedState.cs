namespace Tessera.Handshake;

/// <summary>
/// The state of a connection whose handshake is done. It owns what lives past the handshake — the exporter's secrets,
/// and in TLS 1.3 the traffic secrets with their KeyUpdate ratchet and the resumption secret — and zeroes them when the
/// connection is disposed, so <see cref="Connection.TlsConnection"/> holds no secret of its own.
/// </summary>
internal interface IConnectedState : IHandshakeState, IDisposable
{
    /// <summary>RFC 8446 §7.5 / RFC 5705 keying material; the connection has checked that exporting is allowed.</summary>
    byte[] Export(string label, ReadOnlySpan<byte> context, int length);
}
