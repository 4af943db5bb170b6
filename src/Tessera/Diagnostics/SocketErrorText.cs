using System.Net.Sockets;

namespace Tessera.Diagnostics;

/// <summary>
/// A socket error as the few words a person reads ("connection refused", "address already in use"), the same in every
/// command: `connect`, `scan`, `proxy` and its metrics listener say the same thing for the same failure, never an enum name.
/// Public so that every package that opens sockets (the proxy host, the scanner) words them the same way.
/// </summary>
public static class SocketErrorText
{
    /// <summary>The few words for <paramref name="e"/>, or the exception's own message for an error without them.</summary>
    public static string Of(SocketException e) => Of(e.SocketErrorCode) ?? e.Message;

    /// <summary>The few words for <paramref name="error"/>, or null for an error without them.</summary>
    public static string? Of(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TryAgain => "host name lookup failed for now (try again)",
        SocketError.TimedOut => "timed out",
        SocketError.ConnectionReset => "connection reset by the peer",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.AddressAlreadyInUse => "address already in use (another process is listening there)",
        SocketError.AddressNotAvailable => "address not available on this machine",
        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
        _ => null,
    };
}
