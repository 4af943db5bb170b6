using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Acme;

/// <summary>
/// Answers tls-alpn-01 (RFC 8737) with Tessera itself: a TLS server on one port (443 for a real CA) that negotiates
/// only <c>acme-tls/1</c> and presents, for the SNI the validator sends, the validation certificate of the challenge
/// being answered. Connections are closed once the handshake is done (the validator needs nothing more).
/// </summary>
public sealed class TlsAlpn01Responder : IAcmeChallengeSolver, IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, TlsCredential> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly TimeProvider _clock;

    /// <summary>Starts listening on <paramref name="port"/> (all addresses, IPv4 and IPv6).</summary>
    /// <exception cref="AcmeException">The port cannot be listened on.</exception>
    public TlsAlpn01Responder(int port, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _listener = new TcpListener(IPAddress.IPv6Any, port);
        _listener.Server.DualMode = true;
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new AcmeException(AcmeFailure.Configuration, $"cannot answer tls-alpn-01 on port {port}: {e.Message}", e);
        }
        Port = port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <inheritdoc/>
    public string ChallengeType => "tls-alpn-01";

    /// <inheritdoc/>
    public Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        var credential = TlsAlpn01Certificate.Create(challenge.Identifier, challenge.KeyAuthorization, _clock.GetUtcNow());
        if (_credentials.TryGetValue(TlsAlpn01Certificate.ServerNameFor(challenge.Identifier), out var previous)) previous.Dispose();
        _credentials[TlsAlpn01Certificate.ServerNameFor(challenge.Identifier)] = credential;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
    {
        if (_credentials.TryRemove(TlsAlpn01Certificate.ServerNameFor(challenge.Identifier), out var credential)) credential.Dispose();
        return Task.CompletedTask;
    }

    private async Task AcceptAsync()
    {
        var options = new TlsServerOptions
        {
            ApplicationProtocols = [TlsAlpn01Certificate.Protocol],
            CertificateSelector = context => context.ServerName is { } name && _credentials.TryGetValue(name, out var credential) ? credential : null,
            HandshakeTimeout = HandshakeTimeout,
            TicketProtector = null,
            SessionIdCache = null,
            TimeProvider = _clock,
        };
        var running = new List<Task>();
        while (true)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
            running.RemoveAll(t => t.IsCompleted);
            running.Add(AnswerAsync(tcp, options));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task AnswerAsync(TcpClient tcp, TlsServerOptions options)
    {
        using (tcp)
        {
            await using var tls = new TlsStream(tcp.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(options, _stop.Token).ConfigureAwait(false);
                await tls.ShutdownAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TlsException or IOException or OperationCanceledException)
            {
                // A validator that gave up, a client that is not one (no acme-tls/1, an unknown name): the handshake
                // failed with the right alert, and there is nothing else to do for it.
            }
        }
    }

    /// <summary>Stops listening and waits for the connections in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
