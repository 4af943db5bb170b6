using Spectre.Console;

namespace Tessera.Cli.Tests.Support;

/// <summary>A Spectre console that writes plain text (no colour, no ANSI) into a string, wide enough that lines do not wrap.</summary>
internal sealed class RecordingConsole
{
    private readonly StringWriter _writer = new();

    public RecordingConsole(int width = 240)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
        Console.Profile.Width = width;
    }

    public IAnsiConsole Console { get; }
    public string Text => _writer.ToString();
}
