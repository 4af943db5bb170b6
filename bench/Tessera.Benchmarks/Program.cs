using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*' --job short (quick look)
// One summary per suite, so each "Ratio" column is against that suite's own baseline (SslStream or X509Chain).
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --loop resumed 10000     (a loop for a profiler)
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --sides 2000            (allocation per side vs SslStream)
if (args is ["--sides", ..])
    return Tessera.Benchmarks.SideAllocation.Run(args.Length > 1 && int.TryParse(args[1], out var sides) ? sides : 2000);
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --compression 2000      (RFC 8879: bytes and time per variant)
if (args is ["--compression", ..])
    return Tessera.Benchmarks.CertificateCompressionBench.Run(args.Length > 1 && int.TryParse(args[1], out var pairs) ? pairs : 2000);
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --floor 2000 3          (TLS 1.3 pairs against their crypto floor)
if (args is ["--floor", ..])
    return Tessera.Benchmarks.CryptoFloor.Run(args);
// bench/openssl-anchor.sh 2000 3                                                    (against OpenSSL's in-memory loop)
if (args is ["--openssl-anchor", ..])
    return Tessera.Benchmarks.OpenSslAnchor.Run(args);
if (args is ["--loop", ..])
    return Tessera.Benchmarks.ProfileLoop.Run(args);

var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Tessera.Benchmarks.ChainVerificationBenchmarks).Assembly).Run(args, config);
return 0;
