namespace Tessera.Wire;

/// <summary>
/// Reads an extension block (<c>Extension extensions&lt;0..2^16-1&gt;</c>) in place: each extension's type and body
/// as a slice of the message, no list and no copies. A type seen twice is <c>illegal_parameter</c> (RFC 8446 §4.2),
/// found with a bitmap of all 65,536 types on the caller's stack, so a hostile block of thousands of extensions
/// costs one pass, not a pass per extension.
/// </summary>
internal ref struct ExtensionBlockReader
{
    /// <summary>The bitmap's size in 64-bit words: one bit per extension type.</summary>
    public const int SeenWords = 65536 / 64;

    private TlsReader _block;
    private readonly Span<ulong> _seen;
    private readonly string _message;

    /// <param name="block">The block's contents (<see cref="Of"/> reads them from a message).</param>
    /// <param name="seen">Zeroed scratch of <see cref="SeenWords"/> words (stackalloc); empty for a block already read once, whose duplicates were checked then.</param>
    /// <param name="message">The message's name, for errors.</param>
    public ExtensionBlockReader(TlsReader block, Span<ulong> seen, string message)
    {
        _block = block;
        _seen = seen;
        _message = message;
    }

    /// <summary>The block at <paramref name="reader"/>'s position; an absent block (legacy hellos end before it) reads as empty.</summary>
    public static TlsReader Of(scoped ref TlsReader reader) => reader.IsEmpty ? default : reader.ReadNested16();

    /// <summary>True when every extension has been read.</summary>
    public readonly bool IsEmpty => _block.IsEmpty;

    /// <summary>The next extension, or false at the end of the block.</summary>
    public bool TryRead(out ExtensionType type, out ReadOnlySpan<byte> body)
    {
        if (_block.IsEmpty)
        {
            type = default;
            body = default;
            return false;
        }
        var value = _block.ReadUInt16();
        body = _block.ReadVector16();
        if (!_seen.IsEmpty)
        {
            ref var word = ref _seen[value >> 6];
            var bit = 1UL << (value & 63);
            if ((word & bit) != 0) throw TlsException.Illegal($"{_message} carries extension {ExtensionNames.Of((ExtensionType)value)} twice");
            word |= bit;
        }
        type = (ExtensionType)value;
        return true;
    }
}
