namespace Tessera.Wire;

/// <summary>One extension as it stands on the wire: its type and its undecoded body.</summary>
public readonly record struct TlsExtension(ExtensionType Type, byte[] Body)
{
    /// <summary>
    /// Reads an extension block (<c>Extension extensions&lt;0..2^16-1&gt;</c>). A type seen twice is
    /// <c>illegal_parameter</c> (RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type").
    /// </summary>
    public static List<TlsExtension> ReadBlock(ref TlsReader reader, string message)
    {
        if (reader.IsEmpty) return [];   // the block itself may be absent in legacy hellos
        var block = reader.ReadNested16();
        // Counted first, so the list is allocated once at its size (a ClientHello carries a dozen or more).
        var counter = block;
        var count = 0;
        for (; !counter.IsEmpty; count++)
        {
            counter.ReadUInt16();
            counter.ReadVector16();
        }
        var list = new List<TlsExtension>(count);
        while (!block.IsEmpty)
        {
            var type = (ExtensionType)block.ReadUInt16();
            var body = block.ReadVector16().ToArray();
            foreach (var seen in list)
                if (seen.Type == type)
                    throw TlsException.Illegal($"{message} carries extension {ExtensionNames.Of(type)} twice");
            list.Add(new TlsExtension(type, body));
        }
        return list;
    }

    internal static void WriteBlock(TlsWriter writer, IReadOnlyList<TlsExtension> extensions)
    {
        using (writer.BeginVector(2))
        {
            foreach (var e in extensions.Each())
            {
                writer.WriteUInt16((ushort)e.Type);
                writer.WriteVector16(e.Body);
            }
        }
    }

    /// <summary>
    /// An extension body as an array of its own, written by one of the extension codecs' in-place writers: for tools
    /// and tests that assemble hellos from <see cref="TlsExtension"/> values. The connection's own messages write
    /// their extensions straight into the message instead.
    /// </summary>
    internal static byte[] BodyOf<TState>(TState state, Action<TlsWriter, TState> write)
    {
        var w = new TlsWriter(64);
        write(w, state);
        return w.ToArrayAndRelease();
    }

    /// <summary>An extension that must be empty where it appears (extended_master_secret, early_data in a hello); anything else is decode_error.</summary>
    public static void ExpectEmpty(ReadOnlySpan<byte> body, ExtensionType type)
    {
        if (!body.IsEmpty) throw TlsException.DecodeError($"{ExtensionNames.Of(type)} must be empty here");
    }

    /// <summary>The body of the first extension of <paramref name="type"/> in <paramref name="extensions"/>, or null when there is none.</summary>
    public static byte[]? Find(IReadOnlyList<TlsExtension> extensions, ExtensionType type)
    {
        foreach (var e in extensions)
            if (e.Type == type) return e.Body;
        return null;
    }
}
