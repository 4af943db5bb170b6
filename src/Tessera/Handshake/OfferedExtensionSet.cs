using System.Runtime.CompilerServices;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// The extension types a ClientHello carried, so a reply can be held to them (RFC 8446 §4.2: an extension the client
/// did not offer is unsupported_extension). A hello carries a dozen or two, so they sit inline in this one object and a
/// lookup is a short scan; a hello rewritten by a test hook with more than fit spills into a list.
/// </summary>
internal sealed class OfferedExtensionSet
{
    private const int InlineCapacity = 24;
    private InlineTypes _inline;
    private int _count;
    private List<ExtensionType>? _spill;

    public void Clear()
    {
        _count = 0;
        _spill?.Clear();
    }

    public void Add(ExtensionType type)
    {
        if (_count < InlineCapacity) _inline[_count++] = type;
        else (_spill ??= []).Add(type);
    }

    public bool Contains(ExtensionType type)
    {
        ReadOnlySpan<ExtensionType> inline = _inline;
        if (inline[.._count].Contains(type)) return true;
        return _spill is not null && _spill.Contains(type);
    }

    [InlineArray(InlineCapacity)]
    private struct InlineTypes
    {
        private ExtensionType _first;
    }
}
