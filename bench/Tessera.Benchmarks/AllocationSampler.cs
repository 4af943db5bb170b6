using System.Diagnostics.Tracing;

namespace Tessera.Benchmarks;

/// <summary>
/// Which types a loop allocates, from the runtime's own allocation sampling (GCAllocationTick: one event per ≈ 100 KB
/// allocated, naming the type of the object that crossed the mark). Statistical: over a few hundred MB the shares are
/// good to a percent or two, which is what deciding where to cut needs. In-process, so no tool has to be installed.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEvent = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new();
    private readonly object _gate = new();
    private bool _recording;

    public void Start()
    {
        lock (_gate) { _bytesByType.Clear(); _recording = true; }
    }

    public void Stop()
    {
        lock (_gate) _recording = false;
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTickEvent || e.Payload is null || e.PayloadNames is null) return;
        var type = "?";
        long amount = 0;
        for (var i = 0; i < e.PayloadNames.Count; i++)
        {
            switch (e.PayloadNames[i])
            {
                case "TypeName": type = e.Payload[i] as string ?? "?"; break;
                case "AllocationAmount64": amount = Convert.ToInt64(e.Payload[i]); break;
            }
        }
        lock (_gate)
        {
            if (!_recording) return;
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }

    /// <summary>The types that took the most, as "share  bytes-per-iteration  type" lines.</summary>
    public void Print(TextWriter output, long iterations, int top = 25)
    {
        List<KeyValuePair<string, long>> rows;
        lock (_gate) rows = new(_bytesByType);
        rows.Sort((a, b) => b.Value.CompareTo(a.Value));
        long total = 0;
        foreach (var row in rows) total += row.Value;
        if (total == 0) { output.WriteLine("no allocation samples (the runtime sent no GCAllocationTick events)"); return; }
        output.WriteLine($"sampled {total / 1024:N0} KB; per iteration by type:");
        for (var i = 0; i < rows.Count && i < top; i++)
            output.WriteLine($"{100.0 * rows[i].Value / total,5:0.0} %  {rows[i].Value / iterations,8:N0} B  {rows[i].Key}");
    }
}
