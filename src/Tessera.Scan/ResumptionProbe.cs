using System.Net;
using System.Text;
using Tessera.Certificates;
using Tessera.Resumption;
using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Resumption, 0-RTT and ALPN need whole handshakes, so these probes are Tessera connections: a full handshake
/// collects tickets (or a session ID), and later connections present them. The certificate is not judged here
/// (<see cref="ChainProbe"/> does that), so every connection accepts whatever chain it is shown.
/// </summary>
internal sealed class ResumptionProbe(ScanOptions options, IPEndPoint endpoint)
{
    private static readonly string[] AlpnCandidates = ["h2", "http/1.1", "http/1.0", "spdy/3.1", "acme-tls/1"];

    public async Task<ResumptionReport> RunAsync(bool tls13, bool tls12, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var report = new ResumptionReport { Notes = notes };
        if (tls13) report = await Tls13Async(report, cancellationToken);
        if (tls12) report = await Tls12Async(report, cancellationToken);
        if (tls13 || tls12)
        {
            var version = tls13 ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12;
            var tasks = new List<(string, Task<ScanConnection.Attempt>)>();
            foreach (var protocol in AlpnCandidates)
                tasks.Add((protocol, ConnectAsync(Options(version, null) with { ApplicationProtocols = [protocol] }, [], readTickets: false, cancellationToken)));
            foreach (var (protocol, task) in tasks)
                if ((await task).Connection?.ApplicationProtocol == protocol) report.Alpn.Add(protocol);
        }
        return report;
    }

    private async Task<ResumptionReport> Tls13Async(ResumptionReport report, CancellationToken cancellationToken)
    {
        var store = new ScanSessionStore();
        var first = await ConnectAsync(Options(ProtocolVersion.Tls13, store), [], readTickets: true, cancellationToken);
        if (first.Connection is null)
        {
            report.Notes.Add($"TLS 1.3 resumption not tested: {first.Error}");
            return report;
        }
        var tickets = store.Added;
        report = report with
        {
            Tls13Tickets = tickets.Count,
            Tls13TicketLifetimeSeconds = tickets.Count > 0 ? tickets[0].LifetimeSeconds : null,
            Tls13MaxEarlyData = tickets.Count > 0 ? tickets[0].MaxEarlyData : null,
        };
        if (tickets.Count == 0) return report;

        store.Offer = tickets[0];
        var resumed = await ConnectAsync(Options(ProtocolVersion.Tls13, store), [], readTickets: false, cancellationToken);
        report = report with { Tls13Resumed = resumed.Connection?.WasResumed ?? false };
        if (tickets[0].MaxEarlyData == 0) return report;

        // 0-RTT with a fresh ticket, then the same ticket and the same early data again: a replay.
        var fresh = store.Added.Count > 1 ? store.Added[1] : tickets[0];
        var early = Encoding.ASCII.GetBytes($"HEAD / HTTP/1.1\r\nHost: {options.ServerName ?? options.Target.Host}\r\nConnection: close\r\n\r\n");
        if (early.Length > fresh.MaxEarlyData) return report;
        store.Offer = fresh;
        var zeroRtt = await ConnectAsync(Options(ProtocolVersion.Tls13, store), early, readTickets: false, cancellationToken);
        report = report with { EarlyDataAccepted = zeroRtt.Connection?.EarlyDataAccepted ?? false };
        if (report.EarlyDataAccepted != true) return report;
        store.Offer = fresh;
        var replay = await ConnectAsync(Options(ProtocolVersion.Tls13, store), early, readTickets: false, cancellationToken);
        return report with { ReplayedEarlyDataAccepted = replay.Connection?.EarlyDataAccepted ?? false };
    }

    private async Task<ResumptionReport> Tls12Async(ResumptionReport report, CancellationToken cancellationToken)
    {
        var store = new ScanSessionStore();
        var first = await ConnectAsync(Options(ProtocolVersion.Tls12, store), [], readTickets: false, cancellationToken);
        if (first.Connection is null)
        {
            report.Notes.Add($"TLS 1.2 resumption not tested: Tessera's client could not complete a TLS 1.2 handshake ({first.Error})");
            return report;
        }
        if (!first.Connection.ExtendedMasterSecret)
        {
            // RFC 7627 §5.3: a session without the extended master secret is not safe to resume; Tessera never does.
            report.Notes.Add("TLS 1.2 resumption not tested: the server does not use the extended master secret, and Tessera does not resume such sessions");
            return report;
        }
        var ticket = store.Added.Find(s => s.Ticket.Length > 0);
        report = report with { Tls12TicketIssued = ticket is not null, Tls12TicketLifetimeSeconds = ticket?.LifetimeSeconds };
        if (ticket is not null)
        {
            store.Offer = ticket;
            var resumed = await ConnectAsync(Options(ProtocolVersion.Tls12, store), [], readTickets: false, cancellationToken);
            report = report with { Tls12TicketResumed = resumed.Connection?.WasResumed ?? false };
        }
        var idStore = new ScanSessionStore();
        var idOptions = Options(ProtocolVersion.Tls12, idStore) with { RequestTls12SessionTickets = false };
        var full = await ConnectAsync(idOptions, [], readTickets: false, cancellationToken);
        var session = idStore.Added.Find(s => s.SessionId.Length > 0);
        if (full.Connection is null || session is null) return report with { Tls12SessionIdResumed = false };
        idStore.Offer = session;
        var byId = await ConnectAsync(idOptions, [], readTickets: false, cancellationToken);
        return report with { Tls12SessionIdResumed = byId.Connection?.WasResumed ?? false };
    }

    private TlsClientOptions Options(ProtocolVersion version, IClientSessionStore? store) => new()
    {
        MinVersion = version,
        MaxVersion = version,
        CertificateVerifier = AcceptAnyChain.Instance,
        SendServerNameIndication = options.ServerName is { } name && !IPAddress.TryParse(name, out _),
        SessionStore = store,
        HandshakeTimeout = options.ProbeTimeout,
    };

    private Task<ScanConnection.Attempt> ConnectAsync(TlsClientOptions tlsOptions, byte[] earlyData, bool readTickets, CancellationToken cancellationToken) =>
        ScanConnection.RunAsync(options, endpoint, tlsOptions, earlyData,
            readTickets ? tls => ReadTicketsAsync(tls, (ScanSessionStore)tlsOptions.SessionStore!, cancellationToken) : null, cancellationToken);

    /// <summary>
    /// TLS 1.3 tickets come after the handshake, as post-handshake messages a read processes. Read until some have
    /// come and the server has had a moment to send the rest (servers send one to four), or a second has passed.
    /// </summary>
    private static async Task<string?> ReadTicketsAsync(TlsStream tls, ScanSessionStore store, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var buffer = new byte[4096];
        var read = tls.ReadAsync(buffer, stop.Token).AsTask();
        var started = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? firstSeen = null;
        while (!read.IsCompleted && started.Elapsed < TimeSpan.FromSeconds(1))
        {
            if (store.Added.Count > 0) firstSeen ??= started.Elapsed;
            if (firstSeen is { } seen && started.Elapsed - seen > TimeSpan.FromMilliseconds(150)) break;
            await Task.Delay(10, cancellationToken);
        }
        await stop.CancelAsync();
        try
        {
            await read;
        }
        catch (Exception e) when (e is OperationCanceledException or TlsException or IOException)
        {
            // The read was only a way to let tickets in; how it ends (cancelled, or the server closing) says nothing more.
        }
        return null;
    }

    /// <summary>Keeps every session a connection was given, and hands out the one a probe chooses — again, for a replay.</summary>
    private sealed class ScanSessionStore : IClientSessionStore
    {
        private readonly List<ClientSession> _added = [];

        public ClientSession? Offer { get; set; }

        public List<ClientSession> Added
        {
            get { lock (_added) return [.. _added]; }
        }

        public void Add(string key, ClientSession session)
        {
            lock (_added) _added.Add(session);
        }

        public ClientSession? Take(string key, DateTimeOffset now) => Offer;
    }

    /// <summary>These handshakes look at sessions, not at the chain; <see cref="ChainProbe"/> judges the chain.</summary>
    internal sealed class AcceptAnyChain : ICertificateVerifier
    {
        public static readonly AcceptAnyChain Instance = new();

        public void Verify(CertificateVerificationRequest request)
        {
            if (request.Chain.Count == 0) throw new TlsException(AlertDescription.BadCertificate, "the server sent no certificate");
        }
    }
}
