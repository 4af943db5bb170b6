using Tessera.Certificates;
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
        foreach (var target in new[] { "pem", "revocation" })
            Assert.Contains(inputs, row => (string)row[0] == target && ((string)row[1]).Contains("regressions", StringComparison.Ordinal));
    }

    /// <summary>
    /// The revocation seeds OpenSSL issued for the fuzz chain (record-seeds.sh) are understood as OpenSSL meant them,
    /// in this process: so the revocation target starts from inputs that reach the signature, freshness and status
    /// checks, not only the parser.
    /// </summary>
    [Theory]
    [InlineData("revoked", true)]
    [InlineData("good", false)]
    public void OpenSsl_Issued_Revocation_Seeds_Verify_With_Their_Status(string status, bool revoked)
    {
        var root = ParsedCertificate.Parse(FuzzCredential.Root);
        var server = ParsedCertificate.Parse(FuzzCredential.Server.Chain[0]);
        var crl = CertificateRevocationList.Parse(Seed($"openssl-crl-{status}"));
        Assert.True(crl.IsSignedBy(root));
        Assert.True(crl.IsFresh(FixedClock.Instant));
        Assert.Equal(revoked, crl.Lists(server));
        var ocsp = OcspStaple.Verify(Seed($"openssl-ocsp-{status}"), server, root, FixedClock.Instant);
        Assert.Equal(revoked ? OcspStatus.Revoked : OcspStatus.Good, ocsp.Status);
    }

    private static byte[] Seed(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", "revocation", name))[1..];
}
