using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Tessera.Benchmarks;

/// <summary>
/// Runs a suite with OPENSSL_CONF pointing at a configuration whose only group is P-256, which is how SslStream (through
/// OpenSSL) can be made to use P-256. A mutator job, so every job the command line asks for (or the default one) gets the variable.
/// </summary>
public sealed class P256OnlyConfig : ManualConfig
{
    public P256OnlyConfig()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "openssl-p256-only.cnf");
        AddJob(Job.Default.WithEnvironmentVariable("OPENSSL_CONF", path).AsMutator());
    }
}
