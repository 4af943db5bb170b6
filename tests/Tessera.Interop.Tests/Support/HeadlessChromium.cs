namespace Tessera.Interop.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, loading one page and printing its DOM: a real browser's TLS (its groups, its ALPN)
/// against a local server. It trusts the system store only, so certificate errors are ignored; a throw-away profile
/// keeps runs apart.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Loads <paramref name="url"/> and returns the page's DOM as text; fails the test if Chromium fails.</summary>
    public static Task<string> DumpDomAsync(string url, TimeSpan timeout) => RunAsync($"--ignore-certificate-errors --dump-dom {url}", timeout);

    /// <summary>
    /// Loads a local page with the network off (a proxy that goes nowhere, so the page must need nothing from outside)
    /// and returns its DOM after scripts would have run.
    /// </summary>
    public static Task<string> DumpOfflineDomAsync(string file, TimeSpan timeout) =>
        RunAsync($"--proxy-server=127.0.0.1:9 --proxy-bypass-list=<-loopback> --virtual-time-budget=2000 --dump-dom file://{file}", timeout);

    /// <summary>A PNG of a local page at <paramref name="width"/>×<paramref name="height"/> CSS pixels, written to <paramref name="png"/>.</summary>
    public static async Task ScreenshotAsync(string file, string png, int width, int height, TimeSpan timeout)
    {
        await RunAsync($"--proxy-server=127.0.0.1:9 --hide-scrollbars --window-size={width},{height} --screenshot={png} file://{file}", timeout);
        Xunit.Assert.True(File.Exists(png), $"chromium wrote no screenshot to {png}");
    }

    private static async Task<string> RunAsync(string arguments, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("tessera-chromium-").FullName;
        try
        {
            using var chromium = Peer.Start("chromium",
                $"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir={profile} {arguments}");
            var exit = await chromium.WaitForExitAsync(timeout);
            Xunit.Assert.True(exit == 0, $"chromium exited with {exit}:\n{chromium.AllOutput}");
            return System.Text.Encoding.UTF8.GetString(chromium.StdoutBytes);   // the DOM is UTF-8 (Peer's text is Latin-1, byte for byte)
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
