namespace Tessera.Wire;

/// <summary>
/// A ClientHello's pre_shared_key offer (RFC 8446 §4.2.11) read in place: checked once by <see cref="Read"/> (at least
/// one identity, no empty identity, binders of at least 32 bytes, as many binders as identities), then walked as pairs
/// of identity and binder, each a slice of the message. <see cref="BindersLength"/> is the binders vector's length,
/// prefix included, which the truncated ClientHello a binder covers leaves out.
/// </summary>
internal readonly ref struct OfferedPskList
{
    private readonly ReadOnlySpan<byte> _identities;
    private readonly ReadOnlySpan<byte> _binders;

    private OfferedPskList(ReadOnlySpan<byte> identities, ReadOnlySpan<byte> binders, int count, int bindersLength)
    {
        _identities = identities;
        _binders = binders;
        Count = count;
        BindersLength = bindersLength;
    }

    public int Count { get; }
    public int BindersLength { get; }

    /// <summary>Reads and checks a ClientHello's pre_shared_key body; decode_error when malformed.</summary>
    public static OfferedPskList Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var identities = r.ReadVector16();
        var bindersLength = r.Remaining;   // the binders vector, length prefix included, ends the ClientHello
        var binders = r.ReadVector16();
        r.ExpectEnd("pre_shared_key");
        var count = 0;
        for (var ids = new TlsReader(identities); !ids.IsEmpty; count++)
        {
            if (ids.ReadVector16().IsEmpty) throw TlsException.DecodeError("empty PSK identity");
            ids.ReadUInt32();
        }
        var binderCount = 0;
        for (var list = new TlsReader(binders); !list.IsEmpty; binderCount++)
            if (list.ReadVector8().Length < 32) throw TlsException.DecodeError("PSK binder shorter than 32 bytes");
        if (count == 0) throw TlsException.DecodeError("pre_shared_key offers no identity");
        if (count != binderCount) throw TlsException.Illegal("pre_shared_key has a different number of identities and binders");
        return new OfferedPskList(identities, binders, count, bindersLength);
    }

    /// <summary>An extension body <see cref="Read"/> checked before: sliced again without a second check.</summary>
    public static OfferedPskList OfChecked(ReadOnlySpan<byte> body, int count)
    {
        var r = new TlsReader(body);
        var identities = r.ReadVector16();
        var bindersLength = r.Remaining;
        return new OfferedPskList(identities, r.ReadVector16(), count, bindersLength);
    }

    public Enumerator GetEnumerator() => new(_identities, _binders, Count);

    /// <summary>One offered PSK: the ticket the client holds, its obfuscated age, and its binder.</summary>
    public readonly ref struct Entry(ReadOnlySpan<byte> identity, uint obfuscatedTicketAge, ReadOnlySpan<byte> binder)
    {
        public ReadOnlySpan<byte> Identity { get; } = identity;
        public uint ObfuscatedTicketAge { get; } = obfuscatedTicketAge;
        public ReadOnlySpan<byte> Binder { get; } = binder;
    }

    public ref struct Enumerator(ReadOnlySpan<byte> identities, ReadOnlySpan<byte> binders, int count)
    {
        private TlsReader _identities = new(identities);
        private TlsReader _binders = new(binders);
        private int _left = count;

        public Entry Current { get; private set; }

        public bool MoveNext()
        {
            if (_left-- <= 0) return false;
            var identity = _identities.ReadVector16();
            var age = _identities.ReadUInt32();
            Current = new Entry(identity, age, _binders.ReadVector8());
            return true;
        }
    }
}
