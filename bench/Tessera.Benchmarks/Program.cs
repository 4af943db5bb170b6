using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*' --job short (quick look)
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Tessera.Benchmarks.ChainVerificationBenchmarks).Assembly).Run(args, config);
