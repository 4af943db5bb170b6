namespace Tessera.Handshake;

/// <summary>A TLS 1.2 state that waits for the peer's ChangeCipherSpec record (RFC 5246 §7.1), which is not a handshake message.</summary>
internal interface IExpectChangeCipherSpec : IHandshakeState
{
    /// <summary>Switches to the pending read keys and returns the state that waits for Finished.</summary>
    IHandshakeState OnChangeCipherSpec();
}
