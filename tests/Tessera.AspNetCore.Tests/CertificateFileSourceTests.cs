using Tessera.AspNetCore.Tests.Support;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>Reloading certificate files: checked at most once per poll interval, a half-written pair keeps the old certificate.</summary>
public sealed class CertificateFileSourceTests
{
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = 1;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void ChangedFiles_AreReadAtTheNextCheck_AndAHalfWrittenPairKeepsTheOldCertificate()
    {
        var pki = KestrelPki.Shared;
        var dir = Directory.CreateTempSubdirectory("tessera-source-").FullName;
        var (cert, key) = (Path.Combine(dir, "s.pem"), Path.Combine(dir, "s.key"));
        var first = pki.IssueLocalhostTo(cert, key);
        var clock = new SteppedClock();
        var source = new CertificateFileSource(cert, key, clock);
        var failures = new List<Exception>();
        var reloads = 0;
        source.ReloadFailed += (_, e) => failures.Add(e);
        source.Reloaded += (_, _) => reloads++;
        Assert.Equal(first.SerialNumber, source.Current.Leaf.SerialNumber);

        // A renewal caught half-way: the new key is in place, the certificate is still the old one.
        var scratch = Path.Combine(dir, "next");
        var second = pki.IssueLocalhostTo(scratch + ".pem", scratch + ".key");
        File.WriteAllText(key, File.ReadAllText(scratch + ".key"));
        File.SetLastWriteTimeUtc(key, DateTime.UtcNow.AddSeconds(3));           // distinct stamps even on coarse file systems
        Assert.Equal(first.SerialNumber, source.Current.Leaf.SerialNumber);   // not checked yet: within the poll interval
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(first.SerialNumber, source.Current.Leaf.SerialNumber);   // checked, unloadable: the old one stays
        Assert.Single(failures);

        File.WriteAllText(cert, File.ReadAllText(scratch + ".pem"));
        File.SetLastWriteTimeUtc(cert, DateTime.UtcNow.AddSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(second.SerialNumber, source.Current.Leaf.SerialNumber);
        Assert.Equal(1, reloads);
        Directory.Delete(dir, recursive: true);
    }
}
