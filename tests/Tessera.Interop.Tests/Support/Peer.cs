using System.Diagnostics;
using System.Text;

namespace Tessera.Interop.Tests.Support;

/// <summary>
/// A peer program (openssl, gnutls-serv, gnutls-cli) run for one test. Its output is captured, waits are
/// bounded, and it is killed (with its children) on dispose. A missing program fails the test: CI installs them.
/// </summary>
public sealed class Peer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdoutText = new();
    private readonly MemoryStream _stdout = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();

    private Peer(Process process)
    {
        _process = process;
    }

    public static Peer Start(string program, string arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var path = Which(program) ?? throw new InvalidOperationException(
            $"'{program}' is not installed; the interop tests need it (apt-get install {PackageOf(program)}). .ci/run installs it.");
        var psi = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var peer = new Peer(p);
        peer.PumpOutput();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (peer._lock) peer._stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        return peer;
    }

    public Stream StandardInput => _process.StandardInput.BaseStream;
    public bool HasExited => _process.HasExited;

    public string Stderr { get { lock (_lock) return _stderr.ToString(); } }
    public string StdoutText { get { lock (_lock) return _stdoutText.ToString(); } }
    public byte[] StdoutBytes { get { lock (_lock) return _stdout.ToArray(); } }
    public string AllOutput => StdoutText + "\n" + Stderr;

    private void PumpOutput()
    {
        var stream = _process.StandardOutput.BaseStream;
        _ = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    lock (_lock)
                    {
                        _stdout.Write(buffer, 0, n);
                        _stdoutText.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    }
                }
            }
            finally
            {
                _stdoutClosed.TrySetResult();
            }
        });
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (AllOutput.Contains(text, StringComparison.Ordinal)) return;
            if (_process.HasExited && !AllOutput.Contains(text, StringComparison.Ordinal))
            {
                // The output pumps may still hold the last lines a process wrote just before exiting.
                _process.WaitForExit();
                await Task.Delay(300);
                if (AllOutput.Contains(text, StringComparison.Ordinal)) return;
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before printing '{text}':\n{AllOutput}");
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{_process.StartInfo.FileName} did not print '{text}' within {timeout.TotalSeconds}s:\n{AllOutput}");
    }

    /// <summary>Waits until stdout holds at least <paramref name="count"/> bytes.</summary>
    public async Task WaitForStdoutBytesAsync(int count, TimeSpan timeout, Func<byte[], int>? measure = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var bytes = StdoutBytes;
            if ((measure?.Invoke(bytes) ?? bytes.Length) >= count) return;
            if (_stdoutClosed.Task.IsCompleted) break;
            await Task.Delay(20);
        }
        var have = StdoutBytes;
        if ((measure?.Invoke(have) ?? have.Length) >= count) return;
        throw new TimeoutException($"{_process.StartInfo.FileName} gave {have.Length} of {count} bytes within {timeout.TotalSeconds}s:\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _stdoutClosed.Task.WaitAsync(timeout);
        return _process.ExitCode;
    }

    private static string PackageOf(string program) => program switch
    {
        _ when program.StartsWith("gnutls", StringComparison.Ordinal) => "gnutls-bin",
        "go" => "golang-go",
        "testssl" => "testssl.sh",
        _ => program,
    };

    public static string? Which(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
        _process.Dispose();
    }
}
