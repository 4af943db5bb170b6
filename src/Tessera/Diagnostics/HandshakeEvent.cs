#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using Tessera.Wire;

namespace Tessera.Diagnostics;

/// <summary>
/// One step of a handshake as a person would want to see it: what was sent or received, how long it was,
/// when (since the connection started, by the injected clock), and its decoded fields. Fields are decoded on
/// first use, so a connection nobody inspects does not pay for rendering certificates and hex.
/// </summary>
public sealed class HandshakeEvent
{
    private readonly Func<IReadOnlyList<KeyValuePair<string, string>>>? _describe;
    private IReadOnlyList<KeyValuePair<string, string>>? _fields;

    public HandshakeEvent(HandshakeEventKind kind, TraceDirection direction, string name, HandshakeType? messageType, int length, TimeSpan elapsed,
        IReadOnlyList<KeyValuePair<string, string>> fields)
        : this(kind, direction, name, messageType, length, elapsed, describe: null) => _fields = fields;

    internal HandshakeEvent(HandshakeEventKind kind, TraceDirection direction, string name, HandshakeType? messageType, int length, TimeSpan elapsed,
        Func<IReadOnlyList<KeyValuePair<string, string>>>? describe)
    {
        Kind = kind;
        Direction = direction;
        Name = name;
        MessageType = messageType;
        Length = length;
        Elapsed = elapsed;
        _describe = describe;
    }

    public HandshakeEventKind Kind { get; }
    public TraceDirection Direction { get; }
    public string Name { get; }
    public HandshakeType? MessageType { get; }
    public int Length { get; }
    public TimeSpan Elapsed { get; }

    /// <summary>The decoded fields (decoded once, when first asked for).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields ??= _describe?.Invoke() ?? [];

    public override string ToString()
    {
        var arrow = Direction == TraceDirection.Sent ? ">>>" : "<<<";
        var fields = Fields.Count == 0 ? "" : " " + string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"));
        return $"{Elapsed.TotalMilliseconds,8:0.000} ms {arrow} {Name} ({Length} bytes){fields}";
    }
}
