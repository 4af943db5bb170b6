namespace Tessera;

/// <summary>
/// <c>foreach</c> over an <see cref="IReadOnlyList{T}"/> boxes an enumerator per loop; the options' lists (suites,
/// groups, schemes) are walked several times per handshake, so the handshake path walks them by index instead.
/// </summary>
internal static class ReadOnlyListExtensions
{
    /// <summary>The list's items by index, with no allocation: <c>foreach (var s in options.CipherSuites.Each())</c>.</summary>
    public static IndexedItems<T> Each<T>(this IReadOnlyList<T> list) => new(list);

    public readonly struct IndexedItems<T>(IReadOnlyList<T> list)
    {
        public Enumerator GetEnumerator() => new(list);

        public struct Enumerator(IReadOnlyList<T> list)
        {
            private int _index = -1;
            public readonly T Current => list[_index];
            public bool MoveNext() => ++_index < list.Count;
        }
    }
}
