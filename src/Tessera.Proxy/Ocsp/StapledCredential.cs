using Tessera.Certificates;

namespace Tessera.Proxy.Ocsp;

/// <summary>The state of one certificate's staple, for logs and metrics.</summary>
/// <param name="Status">"good", "revoked", "unknown", or "none" before any usable response.</param>
/// <param name="ThisUpdate">The stapled response's thisUpdate, or null.</param>
/// <param name="Expires">When the stapled response stops being served (its nextUpdate), or null.</param>
/// <param name="LastError">Why the last fetch failed (null when it succeeded).</param>
/// <param name="Failures">Fetches that failed since the proxy started.</param>
public sealed record OcspStapleState(string Status, DateTimeOffset? ThisUpdate, DateTimeOffset? Expires, string? LastError, long Failures);

/// <summary>
/// One served certificate and its OCSP staple. <see cref="Current"/> is what a handshake uses: the certificate with
/// the last good response while that response is valid, the bare certificate otherwise (never a revoked, unknown,
/// unverifiable or expired response: a bad staple would make strict clients refuse the server, none only loses the
/// optimisation).
/// </summary>
public sealed class StapledCredential
{
    private readonly TimeProvider _time;
    private volatile Staple? _good;
    private volatile string? _lastError;
    private volatile string _lastStatus = "none";
    private long _failures;

    internal StapledCredential(TlsCredential credential, Uri? responder, TimeProvider time)
    {
        Credential = credential;
        Responder = responder;
        _time = time;
    }

    /// <summary>The certificate without a staple.</summary>
    public TlsCredential Credential { get; }

    /// <summary>The OCSP responder from the certificate's AIA extension, or null (then nothing is fetched).</summary>
    public Uri? Responder { get; }

    /// <summary>The credential to serve now.</summary>
    public TlsCredential Current
    {
        get
        {
            var good = _good;
            return good is not null && _time.GetUtcNow() < good.Expires ? good.Stapled : Credential;
        }
    }

    /// <summary>What is known about the staple now.</summary>
    public OcspStapleState State
    {
        get
        {
            var good = _good;
            var live = good is not null && _time.GetUtcNow() < good.Expires;
            return new OcspStapleState(live ? "good" : _lastStatus == "good" ? "none" : _lastStatus, live ? good!.ThisUpdate : null, live ? good!.Expires : null,
                _lastError, Interlocked.Read(ref _failures));
        }
    }

    /// <summary>When the staple should be fetched again: halfway through the good response's life, else soon.</summary>
    internal DateTimeOffset? GoodUntil => _good?.Expires;
    internal DateTimeOffset? GoodSince => _good?.ThisUpdate;

    internal void Accept(byte[] response, DateTimeOffset thisUpdate, DateTimeOffset expires)
    {
        _good = new Staple(new TlsCredential(Credential.Chain, Credential.Key, response), thisUpdate, expires);
        _lastStatus = "good";
        _lastError = null;
    }

    /// <summary>A response that verified but is not "good": it replaces nothing, and the last good one stops being served.</summary>
    internal void Refuse(string status, string why)
    {
        _good = null;
        _lastStatus = status;
        _lastError = why;
        Interlocked.Increment(ref _failures);
    }

    /// <summary>A fetch or verification that failed: the last good response goes on being served until it expires.</summary>
    internal void Failed(string why)
    {
        _lastError = why;
        Interlocked.Increment(ref _failures);
    }

    private sealed record Staple(TlsCredential Stapled, DateTimeOffset ThisUpdate, DateTimeOffset Expires);
}
