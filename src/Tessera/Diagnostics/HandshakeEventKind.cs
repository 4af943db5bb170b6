namespace Tessera.Diagnostics;

/// <summary>What a <see cref="HandshakeEvent"/> records.</summary>
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
