using System.CommandLine;
using Tessera.Cli.Commands;

var root = new RootCommand("tessera: TLS 1.3 and 1.2 for .NET, and the tools to see inside a handshake");
root.Subcommands.Add(DemoCommand.Create());
return await root.Parse(args).InvokeAsync();
