using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Scan.Monitor;

/// <summary>
/// One probe of one target: a real Tessera handshake with the target's SNI, ALPN, versions and client certificate, the
/// chain captured whatever it is (so an untrusted or misnamed endpoint still reports its expiry), then judged by
/// Tessera's verifier under the target's roots and profile, the host name checked apart (a wrong name is its own
/// alert, not a trust failure), and the OCSP staple read. Bounded by the timeout from connect to close.
/// </summary>
public static class EndpointProbe
{
    /// <summary>Probes <paramref name="target"/> once; never throws for anything the network or the server does.</summary>
    public static async Task<ProbeResult> RunAsync(MonitorTarget target, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var capture = new CapturingVerifier();
        var options = new TlsClientOptions
        {
            MinVersion = target.MinVersion,
            MaxVersion = target.MaxVersion,
            ApplicationProtocols = target.ApplicationProtocols,
            ClientCertificate = target.ClientCertificate,
            CertificateVerifier = capture,
            RequestOcspStapling = true,
            SessionStore = null,
            // The probe's own deadline (below) ends a silent handshake first, so it is reported as a timeout, not an alert.
            HandshakeTimeout = timeout * 2,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        TlsConnection? connection = null;
        TimeSpan? handshake = null;
        string? error = null, kind = null;
        try
        {
            using var tcp = new TcpClient { NoDelay = true };
            try
            {
                await tcp.ConnectAsync(target.Address.Host, target.Address.Port, deadline.Token);
            }
            catch (SocketException e)
            {
                return Failed(at, started, capture, target, clock, $"cannot connect to {target.Address}: {e.Message}", "connect");
            }
            var handshakeStarted = Stopwatch.GetTimestamp();
            await using var tls = new TlsStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(options, target.Host, deadline.Token);
            handshake = Stopwatch.GetElapsedTime(handshakeStarted);
            connection = tls.Connection;
            // A polite close, so the endpoint's own logs do not count the monitor as a failing client; and the wait for the
            // server's close_notify is where a TLS 1.3 server's refusal of the client (certificate_required, a client
            // certificate it does not trust) arrives: the client's handshake completes before the server has judged it.
            await tls.ShutdownAndDrainAsync(TimeSpan.FromSeconds(1), deadline.Token);
            if (connection.Failure is { IsFromPeer: true } refused && refused.Alert != AlertDescription.CloseNotify)
                (error, kind) = ($"the server refused the connection after the handshake: {UntrustedText.Clean(refused.Message)}", TlsException.Describe(refused.Alert));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (connection is null) (error, kind) = ($"no answer from {target.Address} within {timeout.TotalSeconds:0.#} s", "timeout");
        }
        catch (TlsException e)
        {
            if (connection is null) (error, kind) = (UntrustedText.Clean(e.Message), e.IsTransportFailure ? "transport" : TlsException.Describe(e.Alert));
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            if (connection is null) (error, kind) = ($"{target.Address}: {e.Message}", "transport");
        }
        if (error is not null) return Failed(at, started, capture, target, clock, error, kind!);
        var result = Judge(at, Stopwatch.GetElapsedTime(started), capture, target, clock);
        return result with
        {
            Handshake = handshake,
            Version = connection!.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v) : null,
            CipherSuite = connection.CipherSuite is { } s ? TlsNames.Of(s) : null,
            Group = connection.KeyExchangeGroup is { } g ? TlsNames.Of(g) : null,
            ApplicationProtocol = connection.ApplicationProtocol,
        };
    }

    private static ProbeResult Failed(DateTimeOffset at, long started, CapturingVerifier capture, MonitorTarget target, TimeProvider clock, string error, string kind) =>
        Judge(at, Stopwatch.GetElapsedTime(started), capture, target, clock) with { Error = error, ErrorKind = kind };

    private static ProbeResult Judge(DateTimeOffset at, TimeSpan duration, CapturingVerifier capture, MonitorTarget target, TimeProvider clock)
    {
        if (capture.Chain is not { Count: > 0 } chain) return new ProbeResult { At = at, Duration = duration };
        var leaf = chain[0];
        var earliest = leaf.NotAfter.ToUniversalTime();
        foreach (var c in chain)
            if (c.NotAfter.ToUniversalTime() < earliest) earliest = c.NotAfter.ToUniversalTime();
        bool trusted;
        string? reason = null, reasonKind = null;
        try
        {
            var verifier = new TesseraCertificateVerifier(target.Trust ?? TrustStore.System, RevocationMode.SoftFail, profile: target.Profile);
            verifier.Verify(new CertificateVerificationRequest(chain, null, CertificatePurpose.ServerAuthentication, clock.GetUtcNow(), capture.Ocsp));
            trusted = true;
        }
        catch (TlsException e)
        {
            (trusted, reason, reasonKind) = (false, UntrustedText.Clean(e.Message), TlsException.Describe(e.Alert));
        }
        return new ProbeResult
        {
            At = at,
            Duration = duration,
            LeafNotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            LeafNotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            ChainNotAfter = new DateTimeOffset(earliest, TimeSpan.Zero),
            Serial = leaf.SerialNumber,
            LeafDer = leaf.RawData,
            Trusted = trusted,
            UntrustedReason = reason,
            UntrustedKind = reasonKind,
            NameMatches = HostnameMatcher.Matches(leaf, target.Host, out _),
            Staple = capture.Ocsp is { } ocsp ? StapleFacts.Read(ocsp) : null,
        };
    }

    /// <summary>Keeps what the server sent and lets the handshake go on: the probe judges the chain itself, so an untrusted endpoint still reports its dates.</summary>
    private sealed class CapturingVerifier : ICertificateVerifier, IDisposable
    {
        public List<X509Certificate2>? Chain { get; private set; }
        public byte[]? Ocsp { get; private set; }

        public void Verify(CertificateVerificationRequest request)
        {
            var chain = new List<X509Certificate2>(request.Chain.Count);
            foreach (var c in request.Chain) chain.Add(X509CertificateLoader.LoadCertificate(c.RawData));
            Dispose();
            Chain = chain;
            Ocsp = request.OcspResponse;
        }

        // The certificates hold native handles: a monitor probing for months releases them per probe, not per GC.
        public void Dispose()
        {
            if (Chain is null) return;
            foreach (var c in Chain) c.Dispose();
            Chain = null;
        }
    }
}
