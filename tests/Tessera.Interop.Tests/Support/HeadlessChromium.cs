namespace Tessera.Interop.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, loading one page and printing its DOM: a real browser's TLS (its groups, its ALPN)
/// against a local server. It trusts the system store only, so certificate errors are ignored; a throw-away profile
/// keeps runs apart.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Loads <paramref name="url"/> and returns the page's DOM as text; fails the test if Chromium fails.</summary>
    public static async Task<string> DumpDomAsync(string url, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("tessera-chromium-").FullName;
        try
        {
            using var chromium = Peer.Start("chromium",
                $"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir={profile} --ignore-certificate-errors --dump-dom {url}");
            var exit = await chromium.WaitForExitAsync(timeout);
            Xunit.Assert.True(exit == 0, $"chromium exited with {exit}:\n{chromium.AllOutput}");
            return chromium.StdoutText;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
