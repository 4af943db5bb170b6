namespace Tessera.Wire;

/// <summary>
/// A ClientHello's key_share entries (RFC 8446 §4.2.8) read in place: checked once by <see cref="Read"/> (well formed,
/// no group twice), then walked or looked up by group with each key as a slice of the message.
/// </summary>
internal readonly ref struct KeyShareList
{
    /// <summary>Above this many entries the duplicate check uses a bitmap, so a hostile list costs one pass.</summary>
    private const int LinearCheckLimit = 16;

    private KeyShareList(ReadOnlySpan<byte> entries, int count)
    {
        Entries = entries;
        Count = count;
    }

    /// <summary>The entries' bytes (the vector's contents), for keeping their position.</summary>
    public ReadOnlySpan<byte> Entries { get; }
    public int Count { get; }

    /// <summary>Reads and checks a ClientHello's key_share body; decode_error when malformed, illegal_parameter for a group offered twice.</summary>
    public static KeyShareList Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var entries = r.ReadVector16();
        r.ExpectEnd("key_share");
        var count = 0;
        ulong[]? seen = null;
        for (var list = new TlsReader(entries); !list.IsEmpty; count++)
        {
            var group = list.ReadUInt16();
            if (list.ReadVector16().IsEmpty) throw TlsException.DecodeError("key_share entry with empty key_exchange");
            if (count == LinearCheckLimit)
            {
                seen = new ulong[65536 / 64];
                foreach (var earlier in new KeyShareList(entries, count)) Set(seen, (ushort)earlier.Group);
            }
            // RFC 8446 §4.2.8: clients MUST NOT offer multiple KeyShareEntry values for the same group.
            var duplicate = seen is null ? new KeyShareList(entries, count).Find((NamedGroup)group, out _) : !Set(seen, group);
            if (duplicate) throw TlsException.Illegal($"key_share offers group {TlsNames.Of((NamedGroup)group)} twice");
        }
        return new KeyShareList(entries, count);
    }

    /// <summary>Entries <see cref="Read"/> checked before (the offer keeps their position, not a second check).</summary>
    public static KeyShareList OfChecked(ReadOnlySpan<byte> entries, int count) => new(entries, count);

    /// <summary>Sets the bit; false when it was set already.</summary>
    private static bool Set(ulong[] bits, ushort value)
    {
        var mask = 1UL << (value & 63);
        var was = (bits[value >> 6] & mask) != 0;
        bits[value >> 6] |= mask;
        return !was;
    }

    /// <summary>The share for <paramref name="group"/>, if the client sent one.</summary>
    public bool Find(NamedGroup group, out ReadOnlySpan<byte> keyExchange)
    {
        foreach (var entry in this)
        {
            if (entry.Group != group) continue;
            keyExchange = entry.KeyExchange;
            return true;
        }
        keyExchange = default;
        return false;
    }

    public Enumerator GetEnumerator() => new(Entries, Count);

    /// <summary>One entry: its group and its key as a slice of the message.</summary>
    public readonly ref struct Entry(NamedGroup group, ReadOnlySpan<byte> keyExchange)
    {
        public NamedGroup Group { get; } = group;
        public ReadOnlySpan<byte> KeyExchange { get; } = keyExchange;
    }

    public ref struct Enumerator(ReadOnlySpan<byte> entries, int count)
    {
        private TlsReader _reader = new(entries);
        private int _left = count;

        public Entry Current { get; private set; }

        public bool MoveNext()
        {
            if (_left-- <= 0) return false;
            var group = (NamedGroup)_reader.ReadUInt16();
            Current = new Entry(group, _reader.ReadVector16());
            return true;
        }
    }
}
