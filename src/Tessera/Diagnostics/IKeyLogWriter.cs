#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Diagnostics;

/// <summary>
/// Receives secrets in NSS key log form (label, client random, secret) so tools like Wireshark can decrypt
/// a capture. Only ever called when the user configured one.
/// </summary>
public interface IKeyLogWriter
{
    void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret);
}
