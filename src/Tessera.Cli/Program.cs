using System.CommandLine;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;

var root = new RootCommand("tessera: TLS 1.3 and 1.2 for .NET, and the tools to see inside a handshake");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ConnectCommand.Create());
root.Subcommands.Add(CaCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"tessera: {error.Message}");
    return ExitCodes.Usage;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException e)
{
    Console.Error.WriteLine($"tessera: {e.Message}");
    return e.ExitCode;
}
