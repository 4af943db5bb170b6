using System.Diagnostics;
using System.Text;

namespace Tessera.Acme;

/// <summary>
/// dns-01 records through a program of the operator's (lego's exec provider convention): it is run as
/// <c>PROGRAM present NAME VALUE</c> and <c>PROGRAM cleanup NAME VALUE</c> (no shell; NAME absolute with its final
/// dot), with ACME_TXT_NAME and ACME_TXT_VALUE in its environment as well, and must exit 0 within
/// <see cref="Timeout"/>.
/// </summary>
public sealed class ExecDns01Provider(string program) : IDns01Provider
{
    /// <summary>How long the program may run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    public Task PresentAsync(string name, string value, CancellationToken cancellationToken) => RunAsync("present", name, value, cancellationToken);

    /// <inheritdoc/>
    public Task CleanupAsync(string name, string value, CancellationToken cancellationToken) => RunAsync("cleanup", name, value, cancellationToken);

    private async Task RunAsync(string action, string name, string value, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(value);
        start.Environment["ACME_TXT_NAME"] = name;
        start.Environment["ACME_TXT_VALUE"] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new AcmeException(AcmeFailure.Configuration, $"the dns-01 hook {program} could not be started: {e.Message}", e);
        }
        using (process)
        {
            var output = new StringBuilder();
            var outputLock = new Lock();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (outputLock) if (output.Length < 4000) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (outputLock) if (output.Length < 4000) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                throw new AcmeException(AcmeFailure.Timeout, $"the dns-01 hook {program} {action} {name} did not finish within {Timeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
            {
                string said;
                lock (outputLock) said = UntrustedText.Clean(output.ToString().Trim(), 300);
                throw new AcmeException(AcmeFailure.Configuration, $"the dns-01 hook {program} {action} {name} exited with {process.ExitCode}{(said.Length > 0 ? ": " + said : "")}");
            }
        }
    }
}
