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

    /// <summary>An event with its fields already decoded (for tests and for tools that replay a trace).</summary>
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

    /// <summary>What happened: a message, a ChangeCipherSpec, an alert, a change of keys.</summary>
    public HandshakeEventKind Kind { get; }
    /// <summary>Sent or received.</summary>
    public TraceDirection Direction { get; }
    /// <summary>The message's or alert's name ("ClientHello", "handshake_failure").</summary>
    public string Name { get; }
    /// <summary>The handshake message type, for a message.</summary>
    public HandshakeType? MessageType { get; }
    /// <summary>Its length on the wire, in bytes.</summary>
    public int Length { get; }
    /// <summary>Time since the handshake started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The decoded fields (decoded once, when first asked for).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields ??= _describe?.Invoke() ?? [];

    /// <summary>One line: time, direction, name, length and fields.</summary>
    public override string ToString()
    {
        var arrow = Direction == TraceDirection.Sent ? ">>>" : "<<<";
        var fields = Fields.Count == 0 ? "" : " " + string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"));
        return $"{Elapsed.TotalMilliseconds,8:0.000} ms {arrow} {Name} ({Length} bytes){fields}";
    }
}
