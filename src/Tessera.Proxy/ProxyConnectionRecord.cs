using System.Net;

namespace Tessera.Proxy;

/// <summary>How a proxied connection ended.</summary>
public enum ProxyOutcome
{
    /// <summary>Both sides finished; the bytes were relayed.</summary>
    Completed,
    /// <summary>The TLS handshake failed (the detail has the alert's sentence), or did not finish in time.</summary>
    HandshakeFailed,
    /// <summary>Closed before the handshake: its client address already had the most handshakes in progress allowed.</summary>
    Refused,
    /// <summary>The backend could not be reached; the client got close_notify and nothing else.</summary>
    BackendUnavailable,
    /// <summary>No byte moved either way for the idle timeout.</summary>
    IdleTimeout,
    /// <summary>A transport failed mid-connection (reset, truncation).</summary>
    TransportError,
    /// <summary>The proxy was stopping and the drain deadline passed.</summary>
    Stopped,
    /// <summary>A defect in the proxy ended this connection (the detail names the exception); the proxy went on.</summary>
    InternalError,
}

/// <summary>The words for <see cref="ProxyOutcome"/> that the log and the metrics' <c>outcome</c> label share.</summary>
public static class ProxyOutcomeNames
{
    /// <summary><c>completed</c>, <c>handshake_failed</c>, <c>refused</c>, <c>backend_unavailable</c>, <c>idle_timeout</c>, <c>transport_error</c>, <c>stopped</c> or <c>internal_error</c>.</summary>
    public static string Of(ProxyOutcome outcome) => outcome switch
    {
        ProxyOutcome.Completed => "completed",
        ProxyOutcome.HandshakeFailed => "handshake_failed",
        ProxyOutcome.Refused => "refused",
        ProxyOutcome.BackendUnavailable => "backend_unavailable",
        ProxyOutcome.IdleTimeout => "idle_timeout",
        ProxyOutcome.TransportError => "transport_error",
        ProxyOutcome.Stopped => "stopped",
        _ => "internal_error",
    };
}

/// <summary>One connection through the proxy, reported once when it ends: the facts for one log line.</summary>
/// <param name="Client">The client's address and port.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">Why, when it did not complete (a sentence); null otherwise.</param>
/// <param name="ServerName">The SNI name the client sent, or null.</param>
/// <param name="Version">The TLS version ("TLS 1.3"), or null when the handshake failed.</param>
/// <param name="CipherSuite">The cipher suite's name, or null.</param>
/// <param name="Alpn">The ALPN protocol agreed, or null.</param>
/// <param name="Resumed">Whether the handshake resumed a session.</param>
/// <param name="BytesFromClient">Plaintext bytes relayed from the client to the backend.</param>
/// <param name="BytesToClient">Plaintext bytes relayed from the backend to the client.</param>
/// <param name="Handshake">How long the handshake took, or null when it failed.</param>
/// <param name="Duration">How long the connection lasted.</param>
/// <param name="EarlyData">Bytes the client sent as 0-RTT early data that were accepted (0: none).</param>
/// <param name="EarlyDataAccepted">Null when the client offered no 0-RTT data; otherwise whether it was accepted. Set even
/// when the handshake then failed, so a refused replay of someone else's flight shows in the log.</param>
public sealed record ProxyConnectionRecord(IPEndPoint Client, ProxyOutcome Outcome, string? Detail, string? ServerName, string? Version, string? CipherSuite,
    string? Alpn, bool Resumed, long BytesFromClient, long BytesToClient, TimeSpan? Handshake, TimeSpan Duration, long EarlyData = 0, bool? EarlyDataAccepted = null);
