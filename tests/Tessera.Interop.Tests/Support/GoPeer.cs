namespace Tessera.Interop.Tests.Support;

/// <summary>
/// The Go crypto/tls peer (Go/gotls.go), built once per test run with the Debian go command: standard library only,
/// modules and the network off (GOPROXY=off), cache and output in a temp folder.
/// </summary>
public static class GoPeer
{
    private static readonly Lazy<string> Binary = new(Build);

    public static string Path => Binary.Value;

    private static string Build()
    {
        var dir = Directory.CreateTempSubdirectory("tessera-go-").FullName;
        var source = System.IO.Path.Combine(dir, "gotls.go");
        File.Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "Go", "gotls.go"), source);
        var output = System.IO.Path.Combine(dir, "gotls");
        using var go = Peer.Start("go", $"build -o {output} {source}", dir, new Dictionary<string, string>
        {
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "-mod=mod",
            ["GOCACHE"] = System.IO.Path.Combine(dir, "cache"),
            ["GOPATH"] = System.IO.Path.Combine(dir, "gopath"),
            ["HOME"] = dir,
        });
        var exit = go.WaitForExitAsync(TimeSpan.FromMinutes(3)).GetAwaiter().GetResult();
        if (exit != 0 || !File.Exists(output)) throw new InvalidOperationException($"go build failed ({exit}):\n{go.AllOutput}");
        return output;
    }

    /// <summary>Go's version line, for test output ("go version go1.19.8 linux/amd64").</summary>
    public static string Version()
    {
        using var go = Peer.Start("go", "version");
        go.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        return go.StdoutText.Trim();
    }
}
