namespace Tessera.Handshake;

/// <summary>
/// A handshake in progress, as the connection sees it: if the connection is disposed before the handshake completes
/// (a failure, a peer that went away), the context's secrets are zeroed — the stage secret, the handshake traffic
/// secrets, the application secrets not yet handed over, a TLS 1.2 pre-master and master secret.
/// </summary>
/// <remarks>
/// Managed arrays only, never native handles: a connection may be disposed on another thread while a handshake step
/// runs, and overwriting an array at worst makes that step fail, where freeing a native context could be used after free.
/// </remarks>
internal interface IHandshakeContext
{
    void ZeroSecrets();
}
