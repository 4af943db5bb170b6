using System.CommandLine;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;

var root = new RootCommand("tessera: TLS 1.3 and 1.2 for .NET, and the tools to see inside a handshake");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ConnectCommand.Create());
root.Subcommands.Add(CaCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ProxyCommand.Create());
root.Subcommands.Add(ScanCommand.Create());
root.Subcommands.Add(AcmeCommand.Create());
root.Subcommands.Add(MonitorCommand.Create());
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
catch (Tessera.Pki.PkiException e)
{
    Console.Error.WriteLine($"tessera: {e.Message}");
    return ExitCodes.For(e.Failure);
}
catch (Tessera.Acme.AcmeException e)
{
    Console.Error.WriteLine($"tessera acme: {e.Message}");
    return ExitCodes.For(e.Failure);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // A defect: still one sentence, with the details only when asked for.
    Console.Error.WriteLine($"tessera: unexpected error: {e.Message}");
    if (args.Contains("--verbose")) Console.Error.WriteLine(e);
    return 1;
}
