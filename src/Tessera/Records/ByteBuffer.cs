using System.Buffers;

namespace Tessera.Records;

/// <summary>
/// A growable FIFO of bytes on pooled arrays. Once it has grown to the working size the steady-state
/// path allocates nothing. Cleared on return because it may hold plaintext. <see cref="Trim"/> gives an empty
/// buffer's array back to the pool (an idle connection then holds none) and the next write rents one again.
/// </summary>
internal sealed class ByteBuffer : IDisposable
{
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _written;   // the most of the array ever written since it was rented: what has to be cleared on return

    public ByteBuffer(int initialCapacity = 4096)
    {
        _initialCapacity = initialCapacity;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>The size of the array held (0 after <see cref="Trim"/> until the next write).</summary>
    public int Capacity => _buffer.Length;

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
        if (_end > _written) _written = _end;
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
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, _initialCapacity), length + count));
        _buffer.AsSpan(_start, length).CopyTo(next);
        ReturnBuffer();
        _buffer = next;
        _start = 0;
        _end = length;
        _written = length;
    }

    /// <summary>
    /// Gives the array back to the pool when nothing is buffered. Only between operations: a span handed out earlier
    /// (a record opened in place) must no longer be in use.
    /// </summary>
    public void Trim()
    {
        if (!IsEmpty || _buffer.Length == 0) return;
        ReturnBuffer();
        _buffer = [];
        _start = _end = 0;
    }

    public void Clear()
    {
        _buffer.AsSpan(0, _end).Clear();
        _start = _end = 0;
    }

    /// <summary>Clears what was written (it may be plaintext) and returns the array; the untouched rest needs no clearing.</summary>
    private void ReturnBuffer()
    {
        if (_buffer.Length == 0) return;
        _buffer.AsSpan(0, _written).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _written = 0;
    }

    public void Dispose()
    {
        ReturnBuffer();
        _buffer = [];
        _start = _end = 0;
    }
}
