namespace Tessera.Scan;

/// <summary>How a server answered one probe.</summary>
internal enum ProbeOutcome
{
    /// <summary>A ServerHello (and, for TLS 1.2 and older, the rest of its flight up to ServerHelloDone).</summary>
    ServerHello,
    /// <summary>A HelloRetryRequest (RFC 8446 §4.1.4): the server accepts TLS 1.3 and names its group.</summary>
    HelloRetryRequest,
    /// <summary>An alert: usually handshake_failure or protocol_version, meaning "not this".</summary>
    Alert,
    /// <summary>The server closed the connection without a word: also "not this", the way many stacks say it.</summary>
    Closed,
    /// <summary>An SSL 2.0 SERVER-HELLO.</summary>
    Ssl2ServerHello,
    /// <summary>Nothing within the probe timeout.</summary>
    TimedOut,
    /// <summary>Bytes that are not TLS records, or records that break the rules.</summary>
    Unintelligible,
    /// <summary>TCP did not connect.</summary>
    NoConnection,
}
