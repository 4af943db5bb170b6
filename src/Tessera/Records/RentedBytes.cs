using System.Buffers;

namespace Tessera.Records;

/// <summary>
/// Bytes in an array rented from the shared pool, for one synchronous use (a decompressed Certificate body read while
/// its message is handled): <see cref="Dispose"/> clears them and gives the array back. The default value is empty.
/// </summary>
internal readonly struct RentedBytes : IDisposable
{
    private readonly byte[]? _array;

    public RentedBytes(int length)
    {
        _array = ArrayPool<byte>.Shared.Rent(length);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span => _array is null ? [] : _array.AsSpan(0, Length);

    public void Dispose()
    {
        if (_array is null) return;
        _array.AsSpan(0, Length).Clear();
        ArrayPool<byte>.Shared.Return(_array);
    }
}
