using System.Buffers;

namespace Tessera.Records;

/// <summary>
/// A growable FIFO of bytes on pooled arrays. Once it has grown to the working size the steady-state
/// path allocates nothing. Cleared on return because it may hold plaintext.
/// </summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    public ByteBuffer(int initialCapacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _end - _start;
    public bool IsEmpty => _end == _start;
    public Span<byte> Readable => _buffer.AsSpan(_start, _end - _start);

    public void Append(ReadOnlySpan<byte> data) => data.CopyTo(GetWriteSpan(data.Length));

    /// <summary>Returns <paramref name="count"/> writable bytes at the end and counts them as written.</summary>
    public Span<byte> GetWriteSpan(int count)
    {
        EnsureWritable(count);
        var span = _buffer.AsSpan(_end, count);
        _end += count;
        return span;
    }

    /// <summary>Takes back bytes at the end that were reserved but not used.</summary>
    public void Unwrite(int count) => _end -= count;

    public void Consume(int count)
    {
        if ((uint)count > (uint)Length) throw new ArgumentOutOfRangeException(nameof(count));
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    public int CopyTo(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, Length);
        Readable[..n].CopyTo(destination);
        Consume(n);
        return n;
    }

    private void EnsureWritable(int count)
    {
        if (_buffer.Length - _end >= count) return;
        var length = Length;
        if (_buffer.Length - length >= count && _start > 0)
        {
            // Compact in place: enough room once the consumed prefix is dropped.
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
            _start = 0;
            _end = length;
            return;
        }
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, length + count));
        _buffer.AsSpan(_start, length).CopyTo(next);
        ReturnBuffer();
        _buffer = next;
        _start = 0;
        _end = length;
    }

    public void Clear()
    {
        _buffer.AsSpan(0, _end).Clear();
        _start = _end = 0;
    }

    private void ReturnBuffer() => ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ReturnBuffer();
        _buffer = [];
        _start = _end = 0;
    }
}
