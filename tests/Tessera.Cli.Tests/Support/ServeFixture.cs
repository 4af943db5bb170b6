using Tessera.Cli.Commands;

namespace Tessera.Cli.Tests.Support;

/// <summary>`tessera serve` run in-process on a free port for one test.</summary>
internal sealed class ServeFixture : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;
    private readonly StringWriter _log = new();

    private ServeFixture(ServeSettings settings)
    {
        TestHome.Ensure();
        var bound = new TaskCompletionSource<int>();
        _run = Task.Run(() => ServeCommand.RunAsync(settings, _log, _log, p => bound.TrySetResult(p), _stop.Token));
        Port = bound.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    public int Port { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static ServeFixture Start(ServeSettings? settings = null) =>
        new((settings ?? new ServeSettings()) with { Listen = new Settings.Endpoint("127.0.0.1", 0) });

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
