using System.Diagnostics;
using System.Runtime.InteropServices;
using SharpFuzz;

namespace Tessera.Fuzz;

/// <summary>
/// `Tessera.Fuzz TARGET` runs one target under afl-fuzz (SharpFuzz's out-of-process loop: afl-fuzz starts this once
/// and feeds it inputs); `Tessera.Fuzz TARGET --replay PATH…` runs files or folders of inputs in-process, the way a
/// crash is reproduced and the committed corpora are smoke-tested; `Tessera.Fuzz --list` names the targets; `Tessera.Fuzz --make-seeds DIR` writes starting inputs.
/// </summary>
internal static class Program
{
    /// <summary>afl-fuzz inputs beyond this are cut: a TLS flight is far smaller, and a bound keeps each run bounded.</summary>
    private const int MaxInput = 64 * 1024;

    /// <summary>An input that takes longer than this under --replay is reported as a hang (afl-fuzz uses its own -t).</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(5);

    internal static readonly IFuzzTarget[] Targets =
    [
        new ConnectionTarget(server: true),
        new ConnectionTarget(server: false),
        new ProtectedSessionTarget(server: true),
        new ProtectedSessionTarget(server: false),
        new HandshakeMessageTarget(),
        new ExtensionTarget(),
        new CertificateTarget(),
        new RevocationTarget(),
        new PemTarget(),
    ];

    public static int Main(string[] args)
    {
        // Outside afl-fuzz (--list, --make-seeds, --replay) the instrumented Tessera.dll still records coverage into
        // SharpFuzz's trace area, which only afl provides: give it a scratch area of afl's size so it has somewhere to write.
        if (args.Length != 1) GiveTraceAScratchArea();
        if (args.Length == 0 || args[0] == "--list")
        {
            foreach (var t in Targets) Console.WriteLine($"{t.Name,-17} {t.Description}");
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "--make-seeds" && args.Length == 2) return SeedMaker.Make(args[1]);
        if (args[0] == "--client-hello" && args.Length == 2) return SeedMaker.WriteClientHello(args[1]);
        if (args[0] == "--credential-pem" && args.Length == 2) return FuzzCredential.WritePem(args[1]);
        var target = Array.Find(Targets, t => t.Name == args[0]);
        if (target is null)
        {
            Console.Error.WriteLine($"unknown target '{args[0]}'; --list names them");
            return 2;
        }
        if (args.Length > 1 && args[1] == "--replay") return Replay(target, args[2..]);
        var log = Environment.GetEnvironmentVariable("TESSERA_FUZZ_LOG");
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var input = buffer.Length > MaxInput ? buffer.GetBuffer().AsSpan(0, MaxInput).ToArray() : buffer.ToArray();
            try
            {
                target.Run(input);
            }
            catch (Exception e) when (log is not null && Logged(log, input, e))
            {
                // Never reached: Logged returns false, so the exception goes on to SharpFuzz, which reports the crash.
            }
        });
        return 0;
    }

    /// <summary>
    /// Writes what escaped, with the input's SHA-1 and size, to the log run.sh names: a crash afl-fuzz saves may not
    /// replay alone (state left by earlier inputs in the same process), and then this is the only record of it.
    /// </summary>
    private static bool Logged(string log, byte[] input, Exception e)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(input));
        File.AppendAllText(log, $"--- {DateTime.UtcNow:O} input sha1 {id}, {input.Length} bytes\n{e}\n");
        return false;
    }

    private static unsafe void GiveTraceAScratchArea()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(1 << 16);
    }

    /// <summary>Runs every input; prints and fails on the first exception a target lets escape, or an input that hangs.</summary>
    private static int Replay(IFuzzTarget target, string[] paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else
            {
                Console.Error.WriteLine($"no such file or folder: {p}");
                return 2;
            }
        }
        var clock = new Stopwatch();
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            clock.Restart();
            try
            {
                target.Run(input.Length > MaxInput ? input[..MaxInput] : input);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"{target.Name}: {file}: {e.GetType().Name} escaped: {e}");
                return 1;
            }
            if (clock.Elapsed > Hang)
            {
                Console.Error.WriteLine($"{target.Name}: {file}: took {clock.Elapsed.TotalSeconds:0.0} s (a hang)");
                return 1;
            }
        }
        Console.WriteLine($"{target.Name}: {files.Count} inputs, none escaped or hung");
        return 0;
    }
}
