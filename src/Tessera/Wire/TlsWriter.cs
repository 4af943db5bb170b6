using System.Buffers;
using System.Buffers.Binary;

namespace Tessera.Wire;

/// <summary>
/// Builds TLS structures into a growable buffer. Vectors are written like Go's cryptobyte: reserve the
/// length prefix, write the body, patch the length, so nothing is built twice. The buffer comes from the shared
/// array pool and outgrown ones go back to it (cleared: a structure may hold secrets), so building a message costs
/// only its final copy when the library's own code hands the buffer back with <see cref="ToArrayAndRelease"/>.
/// </summary>
internal sealed class TlsWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;
    private int _written;   // the most of the buffer ever handed out (Clear and GetMemory leave bytes past _length): what to clear on return

    internal TlsWriter(int initialCapacity = 256) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));

    internal int Length => _length;
    internal ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    internal ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);
    internal byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>The bytes written, as a new array; the buffer goes back to the pool and the writer must not be used again.</summary>
    internal byte[] ToArrayAndRelease()
    {
        var result = WrittenSpan.ToArray();
        Release();
        return result;
    }

    /// <summary>Clears what was written and returns the buffer to the pool; the writer must not be used again.</summary>
    internal void Release()
    {
        Return(_buffer, _written);
        _buffer = [];
        _length = _written = 0;
    }

    private static void Return(byte[] buffer, int written)
    {
        if (buffer.Length == 0) return;
        buffer.AsSpan(0, written).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    internal void Clear() => _length = 0;

    private Span<byte> Grow(int count)
    {
        if (_buffer.Length - _length < count)
        {
            var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(next);
            Return(_buffer, _written);
            _buffer = next;
            _written = _length;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        if (_length > _written) _written = _length;
        return span;
    }

    internal void WriteUInt8(byte value) => Grow(1)[0] = value;
    internal void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);
    internal void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    internal void WriteUInt24(int value)
    {
        if ((uint)value > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(value));
        var s = Grow(3);
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
    }

    internal void WriteBytes(ReadOnlySpan<byte> data) => data.CopyTo(Grow(data.Length));

    internal void WriteZeros(int count) => Grow(count).Clear();

    /// <summary>Text in a single-byte encoding (ASCII host names, Latin-1 ALPN names), one byte per char, with no array of its own.</summary>
    internal void WriteSingleByteText(string text, System.Text.Encoding encoding) => encoding.GetBytes(text, Grow(text.Length));

    /// <summary>Writes <paramref name="text"/> as UTF-8, with no array of its own.</summary>
    internal void WriteUtf8(string text) => System.Text.Encoding.UTF8.GetBytes(text, Grow(System.Text.Encoding.UTF8.GetByteCount(text)));

    /// <summary>An extension's type, then its 2-byte length reserved: the body is written next, and the scope patches the length.</summary>
    internal LengthScope BeginExtension(ExtensionType type)
    {
        WriteUInt16((ushort)type);
        return BeginVector(2);
    }

    /// <summary>The bytes written so far, writable: a PSK binder is patched in after the hello before it is hashed.</summary>
    internal Span<byte> WrittenSpanForPatching => _buffer.AsSpan(0, _length);

    internal void WriteVector8(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0xFF) throw new ArgumentException("vector longer than 255 bytes");
        WriteUInt8((byte)data.Length);
        WriteBytes(data);
    }

    internal void WriteVector16(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0xFFFF) throw new ArgumentException("vector longer than 65535 bytes");
        WriteUInt16((ushort)data.Length);
        WriteBytes(data);
    }

    internal void WriteVector24(ReadOnlySpan<byte> data)
    {
        WriteUInt24(data.Length);
        WriteBytes(data);
    }

    /// <summary>Reserves a length prefix of <paramref name="prefixBytes"/> (1, 2 or 3) bytes.</summary>
    public LengthScope BeginVector(int prefixBytes)
    {
        var at = _length;
        Grow(prefixBytes).Clear();
        return new LengthScope(this, at, prefixBytes);
    }

    private void Patch(int at, int prefixBytes)
    {
        var bodyLength = _length - at - prefixBytes;
        var max = prefixBytes switch { 1 => 0xFF, 2 => 0xFFFF, 3 => 0xFFFFFF, _ => throw new ArgumentOutOfRangeException(nameof(prefixBytes)) };
        if (bodyLength > max) throw new InvalidOperationException($"vector of {bodyLength} bytes does not fit a {prefixBytes}-byte length");
        for (var i = prefixBytes - 1; i >= 0; i--)
            _buffer[at + (prefixBytes - 1 - i)] = (byte)(bodyLength >> (8 * i));
    }

    public readonly struct LengthScope(TlsWriter writer, int at, int prefixBytes) : IDisposable
    {
        public void Dispose() => writer.Patch(at, prefixBytes);
    }

    void IBufferWriter<byte>.Advance(int count) => _length += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        Grow(Math.Max(sizeHint, 1));
        _length -= Math.Max(sizeHint, 1);
        return _buffer.AsMemory(_length);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => ((IBufferWriter<byte>)this).GetMemory(sizeHint).Span;
}
