using Tessera.Cli.Cli;

namespace Tessera.Cli.Tests;

/// <summary>`tessera serve` remembers only the connections still being served.</summary>
public sealed class InFlightTasksTests
{
    [Fact]
    public async Task Finished_Tasks_Are_Forgotten_And_Live_Ones_Awaited()
    {
        var tasks = new InFlightTasks();
        for (var i = 0; i < 1000; i++) tasks.Add(Task.CompletedTask);
        var live = new TaskCompletionSource();
        tasks.Add(live.Task);
        var run = Task.Run(() => { });
        tasks.Add(run);
        await run;
        // The removal is the task's own continuation; give it a bounded moment on a busy machine.
        for (var i = 0; i < 100 && tasks.Count != 1; i++) await Task.Delay(10);
        Assert.Equal(1, tasks.Count);

        var all = tasks.WhenAll();
        Assert.False(all.IsCompleted);
        live.SetResult();
        await all.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, tasks.Count);
    }
}
