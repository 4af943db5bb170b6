using System.Net;

namespace Tessera.Proxy;

/// <summary>One HTTP request through an http-mode listener, reported once when its response ends: the facts for an access-log line.</summary>
/// <param name="Client">The client's address and port.</param>
/// <param name="Protocol">The HTTP version the client spoke ("HTTP/2", "HTTP/1.1").</param>
/// <param name="Method">The request method.</param>
/// <param name="Host">The Host (or :authority) the client asked for.</param>
/// <param name="Path">The path and query (clipped by the logger, not here).</param>
/// <param name="Status">The status sent to the client (502 or 504 when the backend failed).</param>
/// <param name="BackendError">Why the backend exchange failed (YARP's error and its message), or null.</param>
/// <param name="Duration">From the request's start to the end of its response.</param>
public sealed record ProxyRequestRecord(IPEndPoint Client, string Protocol, string Method, string Host, string Path, int Status, string? BackendError, TimeSpan Duration);
