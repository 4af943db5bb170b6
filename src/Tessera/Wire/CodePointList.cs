using System.Buffers.Binary;

namespace Tessera.Wire;

/// <summary>
/// A received list of 2-byte code points (suites, groups, signature schemes, versions, compression algorithms) read
/// in place: the list's bytes, already checked to be an even number, and nothing copied. Unknown and GREASE values
/// are kept, as the wire has them; the caller casts to the enum it means.
/// </summary>
internal readonly ref struct CodePointList
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <param name="bytes">An even number of bytes (the reader that sliced them checked it).</param>
    public CodePointList(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int Count => _bytes.Length / 2;
    public bool IsEmpty => _bytes.IsEmpty;
    public ushort this[int index] => BinaryPrimitives.ReadUInt16BigEndian(_bytes[(2 * index)..]);

    public bool Contains(ushort value)
    {
        for (var i = 0; i < _bytes.Length; i += 2)
            if (BinaryPrimitives.ReadUInt16BigEndian(_bytes[i..]) == value) return true;
        return false;
    }

    /// <summary>The values as a list, for the messages of a refusal and for callbacks that take a list.</summary>
    public List<T> ToList<T>(Func<ushort, T> convert)
    {
        var list = new List<T>(Count);
        for (var i = 0; i < Count; i++) list.Add(convert(this[i]));
        return list;
    }
}
