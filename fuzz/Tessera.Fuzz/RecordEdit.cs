using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>What an edit does to the protected record it names (the op byte modulo 4).</summary>
internal enum RecordEditKind : byte
{
    /// <summary>The record's plaintext becomes the edit's data; its inner content type stays.</summary>
    Replace = 0,

    /// <summary>A new record goes out before this one: inner content type = first data byte, plaintext = the rest.</summary>
    Insert = 1,

    /// <summary>Like <see cref="Replace"/>, with the inner content type taken from the first data byte.</summary>
    Retype = 2,

    /// <summary>The record is not delivered.</summary>
    Drop = 3,
}

/// <summary>
/// One edit of the protected-session targets' input: `index (1 byte) · op (1 byte) · length (2 bytes, big-endian) ·
/// data`. An input is a sequence of these; a last edit whose data runs past the end takes what there is. The format
/// is small and length-prefixed so afl-fuzz's byte mutations mostly stay inside one edit's data.
/// </summary>
internal readonly record struct RecordEdit(int Index, RecordEditKind Kind, byte[] Data)
{
    public static List<RecordEdit> Parse(ReadOnlySpan<byte> input)
    {
        var edits = new List<RecordEdit>();
        while (input.Length >= 4)
        {
            var length = Math.Min(input[2] << 8 | input[3], input.Length - 4);
            edits.Add(new RecordEdit(input[0], (RecordEditKind)(input[1] % 4), input.Slice(4, length).ToArray()));
            input = input[(4 + length)..];
        }
        return edits;
    }

    public byte[] Encode() => [(byte)Index, (byte)Kind, (byte)(Data.Length >> 8), (byte)Data.Length, .. Data];

    public static RecordEdit Insert(int index, ContentType type, ReadOnlySpan<byte> plaintext) =>
        new(index, RecordEditKind.Insert, [(byte)type, .. plaintext]);
}
