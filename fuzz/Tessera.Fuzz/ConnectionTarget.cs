using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Fuzz;

/// <summary>
/// A whole input path through <see cref="TlsConnection"/>: the input is what the peer sends (records, so the record
/// layer, reassembly, every decoder the state reaches and the state machine itself are fuzzed). The connection is fed
/// in pieces whose sizes come from the input's first byte, so record and message boundaries fall anywhere; what it
/// writes back is drained and dropped. Randomness and clock are fixed, so a finding reproduces.
/// </summary>
internal sealed class ConnectionTarget(bool server) : IFuzzTarget
{
    public string Name => server ? "server" : "client";

    public string Description => server
        ? "TlsConnection as a server: the input is a client's bytes (ClientHello, HelloRetryRequest answer, TLS 1.2 flight, alerts…)"
        : "TlsConnection as a client after its ClientHello: the input is a server's bytes (ServerHello/HRR, TLS 1.2 plaintext flight with certificates…)";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        using var connection = server ? CreateServer() : CreateClient();
        Drain(connection);
        var piece = 1 + input[0] % 64 * 37;   // 1..2332 bytes per ReceiveTls call
        try
        {
            for (var at = 1; at < input.Length; at += piece)
            {
                connection.ReceiveTls(input.AsSpan(at, Math.Min(piece, input.Length - at)));
                Drain(connection);
                var plaintext = new byte[4096];
                while (connection.AvailablePlaintext > 0 && connection.Read(plaintext) > 0) { }
            }
        }
        catch (TlsException)
        {
            // The expected answer to hostile bytes: an alert, which is now in the output.
            Drain(connection);
        }
    }

    public static TlsConnection CreateServer() => TlsConnection.CreateServer(new TlsServerOptions
    {
        Certificates = [FuzzCredential.Server],
        Random = new FixedEntropy(),
        TimeProvider = new FixedClock(),
        ClientCertificateMode = ClientCertificateMode.Optional,
        ClientTrustStore = TrustStore.FromCertificates(FuzzCredential.Root),
        MaxEarlyData = 16384,
    });

    /// <summary>The fuzz client, its ClientHello already written (deterministic but for nothing: FixedEntropy).</summary>
    public static TlsConnection CreateClient() => TlsConnection.CreateClient(new TlsClientOptions
    {
        TrustStore = TrustStore.FromCertificates(FuzzCredential.Root),
        Random = new FixedEntropy(),
        TimeProvider = new FixedClock(),
        SessionStore = null,
        ClientCertificate = FuzzCredential.Client,
    }, "localhost");

    private static void Drain(TlsConnection connection)
    {
        while (connection.PendingOutput.Length > 0) connection.ConsumeOutput(connection.PendingOutput.Length);
    }
}
