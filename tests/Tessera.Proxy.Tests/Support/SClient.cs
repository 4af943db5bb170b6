using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests.Support;

/// <summary>openssl s_client for one handshake, for the fleet tests: sessions written and read through -sess_out/-sess_in.</summary>
public static class SClient
{
    /// <summary>
    /// Runs s_client with <paramref name="arguments"/> trusting <paramref name="caFile"/>; once <paramref name="sessionFile"/>
    /// (if any) is written its stdin is closed. TLS 1.3 tickets come after the handshake, and s_client's stdout is
    /// block-buffered into a pipe, so the file, not its "ticket arrived" line, is what can be waited for. Returns what it printed.
    /// </summary>
    public static async Task<string> RunAsync(string arguments, string caFile, string? sessionFile, TimeSpan timeout)
    {
        using var client = Peer.Start("openssl", $"s_client {arguments} -CAfile {caFile}");
        var deadline = DateTime.UtcNow + timeout;
        while (sessionFile is not null && !(File.Exists(sessionFile) && new FileInfo(sessionFile).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"s_client wrote no session to {sessionFile}:\n{client.AllOutput}");
            await Task.Delay(50);
        }
        client.StandardInput.Close();
        await client.WaitForExitAsync(timeout);
        return client.AllOutput;
    }
}
