using System.Diagnostics;
using System.Text;

namespace Tessera.Cli.Tests.Support;

/// <summary>A child process (openssl, curl, tshark, the tessera CLI itself) with captured output; killed on dispose.</summary>
internal sealed class Proc : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private Proc(Process process) => _process = process;

    public static Proc Start(string program, string arguments, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var proc = new Proc(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (proc._lock) proc._output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (proc._lock) proc._output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return proc;
    }

    /// <summary>Runs the tessera CLI (the assembly copied next to the tests) with TESSERA_HOME pointing at the test home.</summary>
    public static Proc Tessera(string arguments) =>
        Start("dotnet", $"{Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll")} {arguments}", new Dictionary<string, string> { ["TESSERA_HOME"] = TestHome.Path });

    public string Output { get { lock (_lock) return _output.ToString(); } }
    public StreamWriter StandardInput => _process.StandardInput;

    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return;
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await Task.Delay(100);
                if (Output.Contains(text, StringComparison.Ordinal)) return;
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"'{text}' did not appear within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();   // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>SIGINT, so a capture tool flushes its file; then waits for it to exit.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", $"-INT {_process.Id}")) await kill!.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Interrupt();
        }
    }

    /// <summary>Sends a signal by name (HUP, TERM …) with kill(1).</summary>
    public async Task SignalAsync(string name)
    {
        using var kill = Process.Start("kill", $"-{name} {_process.Id}")!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{name} {_process.Id} failed ({kill.ExitCode})");
    }

    public void Interrupt()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        Interrupt();
        _process.Dispose();
    }
}
