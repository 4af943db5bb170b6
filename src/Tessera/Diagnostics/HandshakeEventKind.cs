#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Diagnostics;

public enum HandshakeEventKind
{
    /// <summary>A handshake message (ClientHello, Finished, KeyUpdate …).</summary>
    Message,
    /// <summary>The middlebox-compatibility ChangeCipherSpec record.</summary>
    ChangeCipherSpec,
    /// <summary>An alert.</summary>
    Alert,
    /// <summary>Record protection changed (handshake keys, application keys, key update).</summary>
    KeysChanged,
}
