using System.Diagnostics;
using System.Net;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Proxy;

/// <summary>
/// One accepted connection from accept to its record: the client, the site chosen for it, its place in the
/// per-client handshake count and in the connection limit. Whichever mode serves it calls <see cref="Finish"/> once,
/// which gives both places back and reports the connection. In http mode it travels into Kestrel as a connection
/// feature.
/// </summary>
internal sealed class ProxyConnection
{
    private readonly ClientHandshakeLimiter _limiter;
    private readonly Action<ProxyConnectionRecord> _finished;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _handshakeSlot;
    private int _finishedOnce;

    public ProxyConnection(IPEndPoint client, ProxySite site, ClientHandshakeLimiter limiter, Action<ProxyConnectionRecord> finished)
    {
        Client = client;
        Site = site;
        _limiter = limiter;
        _finished = finished;
        _handshakeSlot = 1;   // the listener took it before reading the ClientHello
    }

    public IPEndPoint Client { get; }
    public ProxySite Site { get; }

    /// <summary>http mode: the forwarder's destination prefix, made once per connection rather than per request.</summary>
    public string Destination => _destination ??= $"http://{Site.Backend}/";
    private string? _destination;

    /// <summary>Why the handshake failed (the adapter's callback, http mode), for the record.</summary>
    public string? HandshakeFailure { get; set; }

    public bool HandshakeCompleted { get; private set; }

    private int _requestsInFlight;
    private int _requestsAnswered;

    /// <summary>True when at least one request was answered and none is in flight (http mode): a reset now loses nothing.</summary>
    public bool BetweenRequests => Volatile.Read(ref _requestsAnswered) > 0 && Volatile.Read(ref _requestsInFlight) == 0;

    /// <summary>A request is being forwarded (http mode).</summary>
    public void RequestStarted() => Interlocked.Increment(ref _requestsInFlight);

    /// <summary>The request's response has been sent (or failed).</summary>
    public void RequestEnded()
    {
        Interlocked.Increment(ref _requestsAnswered);
        Interlocked.Decrement(ref _requestsInFlight);
    }

    /// <summary>The handshake is done (or failed): the client's count of handshakes in progress goes down.</summary>
    public void LeaveHandshake(bool completed)
    {
        HandshakeCompleted |= completed;
        if (Interlocked.Exchange(ref _handshakeSlot, 0) == 1) _limiter.Leave(ClientHandshakeLimiter.Key(Client.Address));
    }

    public void Finish(ProxyOutcome outcome, string? detail, TlsConnection? tls, long fromClient, long toClient)
    {
        if (Interlocked.Exchange(ref _finishedOnce, 1) == 1) return;
        LeaveHandshake(completed: false);
        var complete = tls is { IsHandshakeComplete: true };
        _finished(new ProxyConnectionRecord(Client, outcome, detail, tls?.ServerName,
            complete && tls!.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v) : null,
            complete && tls!.CipherSuite is { } s ? TlsNames.Of(s) : null, complete ? tls!.ApplicationProtocol : null,
            complete && tls!.WasResumed, fromClient, toClient, complete ? tls!.HandshakeDuration : null, _clock.Elapsed,
            complete && tls!.EarlyDataAccepted == true ? tls.EarlyDataReceived : 0, tls?.EarlyDataAccepted));
    }
}
