using System.Security.Cryptography;

namespace Tessera.KeySchedule;

/// <summary>
/// The TLS 1.3 secrets a connection keeps once its handshake is done (RFC 8446 §7.1), in one block zeroed once: the
/// client and server application traffic secrets — ratcheted in place by KeyUpdate (§7.2), so an update allocates
/// nothing and leaves no old generation behind — the exporter master secret and the resumption master secret. The
/// handshake derives into it and owns it until it hands it to the connected state.
/// </summary>
internal sealed class ApplicationSecrets13 : IDisposable
{
    private readonly byte[] _block;
    private readonly int _length;

    public ApplicationSecrets13(int hashLength)
    {
        _length = hashLength;
        _block = new byte[4 * hashLength];
    }

    public Span<byte> Client => _block.AsSpan(0, _length);
    public Span<byte> Server => _block.AsSpan(_length, _length);
    public Span<byte> Exporter => _block.AsSpan(2 * _length, _length);
    public Span<byte> Resumption => _block.AsSpan(3 * _length, _length);

    public void Dispose() => CryptographicOperations.ZeroMemory(_block);
}
