using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Tests.Support;
using Tessera.Connection;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera proxy --config FILE`: the command watches the file and reloads when it changes. What the file may say and
/// the host's checks are tested with the library (Tessera.Proxy.Tests/Hosting).
/// </summary>
[Collection("tessera home")]
public sealed class ProxyConfigTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sites_From_The_File_Are_Chosen_By_Sni_And_A_Bad_Edit_Is_Refused_While_A_Good_One_Is_Applied()
    {
        TestHome.Ensure();
        var folder = Directory.CreateTempSubdirectory("tessera-proxy-config-").FullName;
        try
        {
            var ca = LocalCa.OpenOrCreateDev();
            foreach (var name in new[] { "a.test", "localhost" })
            {
                var (chain, key, _) = ca.Issue([name], client: false, days: 30, KeyType.EcdsaP256);
                File.WriteAllText(Path.Combine(folder, name + ".pem"), chain);
                File.WriteAllText(Path.Combine(folder, name + ".key"), key);
            }
            using var backendA = new TcpListener(IPAddress.Loopback, 0);
            using var backendA2 = new TcpListener(IPAddress.Loopback, 0);
            using var backendDefault = new TcpListener(IPAddress.Loopback, 0);
            backendA.Start();
            backendA2.Start();
            backendDefault.Start();
            using var backendStop = new CancellationTokenSource();
            var echoes = new[] { backendA, backendA2, backendDefault }.Select(b => SayPortAsync(b, backendStop.Token)).ToArray();
            string Config(int aPort, string mode = "tcp") => $$"""
                {
                  "Defaults": { "HandshakeTimeout": 5, "Versions": [ "1.2", "1.3" ] },
                  "Listeners": {
                    "main": {
                      "Listen": "127.0.0.1:0",
                      "Sites": {
                        "a": { "ServerNames": [ "a.test" ], "Certificate": "a.test.pem", "Key": "a.test.key", "Backend": "127.0.0.1:{{aPort}}", "Mode": "{{mode}}", "Versions": [ "1.3" ] },
                        "fallback": { "Certificate": "localhost.pem", "Key": "localhost.key", "Backend": "127.0.0.1:{{Port(backendDefault)}}" }
                      }
                    }
                  }
                }
                """;
            var file = Path.Combine(folder, "proxy.json");
            File.WriteAllText(file, Config(Port(backendA)));

            var log = new StringWriter();
            using var stop = new CancellationTokenSource();
            var bound = new TaskCompletionSource<int>();
            var settings = new ProxySettings { ConfigFile = file };
            var run = Task.Run(() => ProxyCommand.RunAsync(settings, new StringWriter(), log, p => bound.TrySetResult(p), stop.Token));
            var port = await bound.Task.WaitAsync(Timeout);

            Assert.Equal(("CN=a.test", Port(backendA)), await EchoAsync(port, "a.test"));
            Assert.Equal(("CN=localhost", Port(backendDefault)), await EchoAsync(port, "localhost"));
            // Site a is TLS 1.3 only; the default site takes TLS 1.2 too.
            await Assert.ThrowsAsync<TlsException>(() => EchoAsync(port, "a.test", tls12: true));
            Assert.Equal(("CN=localhost", Port(backendDefault)), await EchoAsync(port, "localhost", tls12: true));

            // A bad edit (a mode that does not exist) is refused with its key; site a goes on as it was.
            File.WriteAllText(file, Config(Port(backendA2), mode: "udp"));
            await ProxyCommandTests.WaitForAsync(() => ProxyCommandTests.Snapshot(log).Contains("reload refused", StringComparison.Ordinal));
            Assert.Contains("Listeners:main:Sites:a:Mode must be tcp or http, not 'udp'", ProxyCommandTests.Snapshot(log), StringComparison.Ordinal);
            Assert.Equal(("CN=a.test", Port(backendA)), await EchoAsync(port, "a.test"));

            // A good edit: site a's backend moves; new connections go there.
            File.WriteAllText(file, Config(Port(backendA2)));
            await ProxyCommandTests.WaitForAsync(() => ProxyCommandTests.Snapshot(log).Contains("reloaded", StringComparison.Ordinal));
            Assert.Equal(("CN=a.test", Port(backendA2)), await EchoAsync(port, "a.test"));

            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
            await backendStop.CancelAsync();
            await Task.WhenAll(echoes).WaitAsync(Timeout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A round trip through the proxy with this SNI name: the certificate's subject and which backend answered (it echoes its own port back in the test's check).</summary>
    private static async Task<(string Subject, int Backend)> EchoAsync(int port, string serverName, bool tls12 = false)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new TlsStream(tcp.GetStream());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var options = new TlsClientOptions { TrustStore = Tessera.Certificates.TrustStore.FromPemFile(TestHome.DevRoot) };
        if (tls12) options = options with { MaxVersion = Wire.ProtocolVersion.Tls12 };
        await tls.AuthenticateAsClientAsync(options, serverName, deadline.Token);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("which"), deadline.Token);
        await tls.ShutdownAsync(deadline.Token);
        var buffer = new byte[64];
        var n = 0;
        int read;
        while ((read = await tls.ReadAsync(buffer.AsMemory(n), deadline.Token)) > 0) n += read;
        return (tls.Connection.PeerCertificates[0].Subject, EchoPort(Encoding.ASCII.GetString(buffer, 0, n)));
    }

    private static int EchoPort(string answer) => int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A backend that reads until the client is done, answers with its own port, and closes: so a test knows which backend got the connection.</summary>
    private static async Task SayPortAsync(TcpListener listener, CancellationToken stop)
    {
        var open = new List<Task>();
        var port = Encoding.ASCII.GetBytes(Port(listener).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                open.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        try
                        {
                            while (await stream.ReadAsync(buffer, stop) > 0)
                            {
                            }
                            await stream.WriteAsync(port, stop);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException)
                        {
                            // The proxy ended the connection, or the test is over.
                        }
                    }
                }));
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
        await Task.WhenAll(open);
    }
}
