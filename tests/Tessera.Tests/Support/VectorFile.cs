namespace Tessera.Tests.Support;

/// <summary>Reads "[Section]" / "Name = hex" vector files.</summary>
internal sealed class VectorFile
{
    private readonly Dictionary<string, Dictionary<string, byte[]>> _sections = [];

    public VectorFile(string path)
    {
        Dictionary<string, byte[]>? current = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('['))
            {
                current = [];
                _sections[line.Trim('[', ']')] = current;
                continue;
            }
            var eq = line.IndexOf('=');
            current![line[..eq].Trim()] = Hex.Bytes(line[(eq + 1)..]);
        }
    }

    public static VectorFile Load(string name) => new(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    public Section this[string name] => new(_sections[name]);

    public sealed class Section(Dictionary<string, byte[]> values)
    {
        public byte[] this[string key] => values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"vector '{key}' missing");
    }
}
