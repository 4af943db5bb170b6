using System.Collections.Concurrent;

namespace Tessera.Cli.Cli;

/// <summary>
/// The connections a server is still serving: each task is forgotten as soon as it ends, so a server that runs for
/// days holds only its live connections (keeping every task until shutdown grew without bound), and shutdown can
/// still wait for the ones in flight.
/// </summary>
internal sealed class InFlightTasks
{
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();

    public int Count => _tasks.Count;

    public void Add(Task task)
    {
        _tasks.TryAdd(task, 0);
        // Attached after the add, so even a task that has already finished is removed.
        task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _),
            _tasks, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every task added so far has ended.</summary>
    public Task WhenAll() => Task.WhenAll(_tasks.Keys);
}
