using System.Diagnostics;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// What a TLS 1.3 handshake pair costs against the crypto it cannot avoid. One full and one resumed sans-IO pair
/// (X25519, ECDSA P-256 leaf + intermediate, the native provider) run through a <see cref="RecordingCryptoProvider"/>;
/// the recorded primitives — key exchange, signatures and their checks (the chain's included), HKDF, HMAC, hashes,
/// transcript hashing, AEAD — are the pair's floor. Then the pairs and their floors run alternately in timed rounds,
/// and each pair is reported as a multiple of its floor: the part above 1× is Tessera's own code.
/// Usage: `dotnet run -c Release --project bench/Tessera.Benchmarks -- --floor [pairs per round] [rounds]`.
/// </summary>
public static class CryptoFloor
{
    public static int Run(string[] args)
    {
        var pairs = args.Length > 1 && int.TryParse(args[1], out var p) && p > 0 ? p : 2000;
        var rounds = args.Length > 2 && int.TryParse(args[2], out var r) && r > 0 ? r : 3;
        if (!CryptoProvider.IsNativeAvailable)
        {
            Console.Error.WriteLine($"the crypto floor is measured under the native provider, which is unavailable here");
            return 1;
        }
        var native = CryptoProvider.Native;
        var recorder = new RecordingCryptoProvider(native);
        var pki = new BenchPki();
        var server = new TlsServerOptions
        {
            Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)],
            Groups = [NamedGroup.X25519],
            CryptoProvider = native,
        };
        var resumingClient = new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(pki.Root),
            Groups = [NamedGroup.X25519],
            CryptoProvider = native,
        };
        var fullClient = resumingClient with { SessionStore = null };

        // Warm up (JIT tiers, key caches, a ticket in the store), then record one pair of each kind. The chain's
        // signature checks use the process default provider, so the recorder stands in for it while recording.
        for (var i = 0; i < 300; i++)
        {
            ProfileLoop.One(fullClient, server);
            ProfileLoop.One(resumingClient, server);
        }
        var full = Record(recorder, fullClient, server, resumed: false);
        var resumed = Record(recorder, resumingClient, server, resumed: true);
        for (var i = 0; i < 200; i++)
        {
            Replay(full.Replay);
            Replay(resumed.Replay);
        }
        Print("full", full, pairs);
        Print("resumed", resumed, pairs);

        Console.WriteLine();
        Console.WriteLine($"{"round",-6} {"full pair",10} {"its floor",10} {"×floor",7}   {"resumed",10} {"its floor",10} {"×floor",7}   {"full/resumed",12}");
        var best = (Full: double.MaxValue, FullFloor: double.MaxValue, Resumed: double.MaxValue, ResumedFloor: double.MaxValue);
        for (var round = 1; round <= rounds; round++)
        {
            var f = Time(pairs, () => ProfileLoop.One(fullClient, server));
            var ff = Time(pairs, () => Replay(full.Replay));
            var s = Time(pairs, () => ProfileLoop.One(resumingClient, server));
            var sf = Time(pairs, () => Replay(resumed.Replay));
            Console.WriteLine($"{round,-6} {f,8:0} µs {ff,8:0} µs {f / ff,6:0.00}×   {s,8:0} µs {sf,8:0} µs {s / sf,6:0.00}×   {f / s,11:0.00}×");
            best = (Math.Min(best.Full, f), Math.Min(best.FullFloor, ff), Math.Min(best.Resumed, s), Math.Min(best.ResumedFloor, sf));
        }
        Console.WriteLine($"{"best",-6} {best.Full,8:0} µs {best.FullFloor,8:0} µs {best.Full / best.FullFloor,6:0.00}×   {best.Resumed,8:0} µs {best.ResumedFloor,8:0} µs {best.Resumed / best.ResumedFloor,6:0.00}×   {best.Full / best.Resumed,11:0.00}×");
        Console.WriteLine("targets: full ≤ 1.30× its floor; resumed ≤ 1.50× its floor; full/resumed ≥ 1.50×");
        return 0;
    }

    private static Recorded Record(
        RecordingCryptoProvider recorder, TlsClientOptions client, TlsServerOptions server, bool resumed)
    {
        var before = CryptoProvider.Default;
        CryptoProvider.Default = recorder;
        recorder.Recording = true;
        try
        {
            var (c, s) = ProfileLoop.One(client with { CryptoProvider = recorder }, server with { CryptoProvider = recorder });
            if (c != resumed || s != resumed) throw new InvalidOperationException($"the recorded pair was {(c ? "" : "not ")}resumed");
        }
        finally
        {
            recorder.Recording = false;
            CryptoProvider.Default = before;
        }
        var (replay, kinds, counts) = recorder.Take();
        return new Recorded(replay, kinds, counts);
    }

    private sealed record Recorded(Action[] Replay, string[] Kinds, IReadOnlyDictionary<string, int> Counts);

    private static void Replay(Action[] replay)
    {
        foreach (var call in replay) call();
    }

    /// <summary>Mean microseconds per call of <paramref name="work"/> over <paramref name="count"/> calls.</summary>
    private static double Time(int count, Action work)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) work();
        return clock.Elapsed.TotalMicroseconds / count;
    }

    /// <summary>The calls of one pair by kind, with what each kind costs in the floor (timed call by call).</summary>
    private static void Print(string pair, Recorded recorded, int pairs)
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < pairs; i++)
        {
            for (var c = 0; c < recorded.Replay.Length; c++)
            {
                var start = Stopwatch.GetTimestamp();
                recorded.Replay[c]();
                ticks[recorded.Kinds[c]] = ticks.GetValueOrDefault(recorded.Kinds[c]) + Stopwatch.GetTimestamp() - start;
            }
        }
        var total = 0;
        foreach (var (_, n) in recorded.Counts) total += n;
        Console.WriteLine($"{pair} pair: {total} primitive calls (µs per pair, timed call by call)");
        foreach (var (kind, n) in recorded.Counts)
            Console.WriteLine($"  {n,4}  {kind,-36} {Stopwatch.GetElapsedTime(0, ticks[kind]).TotalMicroseconds / pairs,8:0.0}");
    }
}
