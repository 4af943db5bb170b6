using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*' --job short (quick look)
// One summary per suite, so each "Ratio" column is against that suite's own baseline (SslStream or X509Chain).
var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Tessera.Benchmarks.ChainVerificationBenchmarks).Assembly).Run(args, config);
