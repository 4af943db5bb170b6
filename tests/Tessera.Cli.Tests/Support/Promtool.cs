namespace Tessera.Cli.Tests.Support;

/// <summary>Prometheus' own checker (Debian package prometheus) on exposition text: names, types, units and help as Prometheus wants them.</summary>
internal static class Promtool
{
    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="text"/>; fails the test with its complaints.</summary>
    public static async Task CheckMetricsAsync(string text)
    {
        using var p = Proc.Start("promtool", "check metrics");
        await p.StandardInput.WriteAsync(text);
        p.StandardInput.Close();
        var exit = await p.ExitAsync(TimeSpan.FromSeconds(30));
        Xunit.Assert.True(exit == 0, $"promtool check metrics refused the exposition (exit {exit}):\n{p.Output}");
    }
}
