using Tessera.Fuzz;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>
/// Every committed fuzz input replays through its target in the normal test run: the seed corpora (fuzz/corpus) and
/// each input that once let an unexpected exception escape (fuzz/regressions, with what it found in its README). A
/// target returns or throws what its API promises and nothing else, so any exception here is a regression.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "regressions" })
        {
            var root = Path.Combine(AppContext.BaseDirectory, "fuzz", kind);
            foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
                foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
                    data.Add(Path.GetFileName(folder), Path.GetRelativePath(AppContext.BaseDirectory, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_Replays_Without_An_Unexpected_Exception(string target, string file)
    {
        var fuzzTarget = Array.Find(Program.Targets, t => t.Name == target);
        Assert.NotNull(fuzzTarget);
        fuzzTarget.Run(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, file)));
    }

    [Fact]
    public void Every_Target_Has_Seeds_And_The_Findings_Are_There()
    {
        var inputs = Inputs();
        foreach (var t in Program.Targets)
            Assert.Contains(inputs, row => (string)row[0] == t.Name && ((string)row[1]).Contains("corpus", StringComparison.Ordinal));
        Assert.Contains(inputs, row => (string)row[0] == "certificate" && ((string)row[1]).Contains("regressions", StringComparison.Ordinal));
        Assert.Contains(inputs, row => (string)row[0] == "pem" && ((string)row[1]).Contains("regressions", StringComparison.Ordinal));
    }
}
