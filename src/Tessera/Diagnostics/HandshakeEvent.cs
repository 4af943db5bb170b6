using Tessera.Wire;

namespace Tessera.Diagnostics;

/// <summary>
/// One step of a handshake as a person would want to see it: what was sent or received, how long it was,
/// when (since the connection started, by the injected clock), and its decoded fields.
/// </summary>
public sealed record HandshakeEvent(
    HandshakeEventKind Kind,
    TraceDirection Direction,
    string Name,
    HandshakeType? MessageType,
    int Length,
    TimeSpan Elapsed,
    IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public override string ToString()
    {
        var arrow = Direction == TraceDirection.Sent ? ">>>" : "<<<";
        var fields = Fields.Count == 0 ? "" : " " + string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"));
        return $"{Elapsed.TotalMilliseconds,8:0.000} ms {arrow} {Name} ({Length} bytes){fields}";
    }
}
