using System.Buffers.Binary;

namespace Tessera.Wire;

/// <summary>
/// Reads TLS presentation-language structures from a span without copying. Every length is checked
/// here, once; a short or over-long input becomes a <c>decode_error</c>.
/// </summary>
public ref struct TlsReader
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>A reader over <paramref name="data"/>; every read past its end is decode_error.</summary>
    public TlsReader(ReadOnlySpan<byte> data) => _rest = data;

    internal readonly int Remaining => _rest.Length;
    internal readonly bool IsEmpty => _rest.IsEmpty;
    internal readonly ReadOnlySpan<byte> Rest => _rest;

    /// <summary>Reads one byte.</summary>
    public byte ReadUInt8()
    {
        if (_rest.IsEmpty) throw TlsException.DecodeError("truncated uint8");
        var v = _rest[0];
        _rest = _rest[1..];
        return v;
    }

    /// <summary>Reads a big-endian 16-bit integer.</summary>
    public ushort ReadUInt16()
    {
        if (_rest.Length < 2) throw TlsException.DecodeError("truncated uint16");
        var v = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return v;
    }

    internal int ReadUInt24()
    {
        if (_rest.Length < 3) throw TlsException.DecodeError("truncated uint24");
        var v = (_rest[0] << 16) | (_rest[1] << 8) | _rest[2];
        _rest = _rest[3..];
        return v;
    }

    internal uint ReadUInt32()
    {
        if (_rest.Length < 4) throw TlsException.DecodeError("truncated uint32");
        var v = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return v;
    }

    internal ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || _rest.Length < count) throw TlsException.DecodeError($"truncated field of {count} bytes");
        var v = _rest[..count];
        _rest = _rest[count..];
        return v;
    }

    /// <summary>opaque x&lt;0..2^8-1&gt;</summary>
    public ReadOnlySpan<byte> ReadVector8() => ReadBytes(ReadUInt8());

    /// <summary>opaque x&lt;0..2^16-1&gt;</summary>
    public ReadOnlySpan<byte> ReadVector16() => ReadBytes(ReadUInt16());

    /// <summary>opaque x&lt;0..2^24-1&gt;</summary>
    public ReadOnlySpan<byte> ReadVector24() => ReadBytes(ReadUInt24());

    internal TlsReader ReadNested8() => new(ReadVector8());
    internal TlsReader ReadNested16() => new(ReadVector16());
    internal TlsReader ReadNested24() => new(ReadVector24());

    internal readonly void ExpectEnd(string what)
    {
        if (!_rest.IsEmpty) throw TlsException.DecodeError($"{_rest.Length} trailing bytes after {what}");
    }
}
