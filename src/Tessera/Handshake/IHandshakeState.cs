using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// One state of a handshake, named for the message it expects. <see cref="Handle"/> validates the message,
/// updates the transcript and keys, sends what the protocol says to send, and returns the next state.
/// </summary>
internal interface IHandshakeState
{
    /// <summary>Words for error messages: "waiting for ServerHello".</summary>
    string Expecting { get; }

    IHandshakeState Handle(HandshakeMessage message);
}
