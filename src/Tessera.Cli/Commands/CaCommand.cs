using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Cli.Pki;
using Tessera.Pki;

namespace Tessera.Cli.Commands;

/// <summary>`tessera ca`: a small CA for development and tests — init, issue, csr, sign, revoke, crl, inspect.</summary>
internal static class CaCommand
{
    public static Command Create()
    {
        var command = new Command("ca", "Make and inspect certificates: a local CA (root and intermediate) under ~/.tessera/ca or --dir");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Issue());
        command.Subcommands.Add(Csr());
        command.Subcommands.Add(Sign());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(Crl());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(CaServeCommand.Serve());
        command.Subcommands.Add(CaServeCommand.Eab());
        command.Subcommands.Add(CaServeCommand.Ari());
        return command;
    }

    private static Option<string?> Dir() => new("--dir") { Description = "CA directory (default ~/.tessera/ca, or $TESSERA_HOME/ca)" };
    private static Option<bool> Force() => new("--force") { Description = "Overwrite existing files" };
    private static Option<string> Key() => new("--key-type") { Description = "ecdsa-p256 (default), ecdsa-p384, rsa2048, rsa3072, ed25519", DefaultValueFactory = _ => "ecdsa-p256" };

    private static Command Init()
    {
        var dir = Dir(); var force = Force(); var key = Key();
        var name = new Option<string>("--name") { Description = "CA name", DefaultValueFactory = _ => "Tessera Development CA" };
        var c = new Command("init", "Create a root and an intermediate CA") { dir, force, key, name };
        c.SetAction(parse => Run(() =>
        {
            var ca = LocalCa.Init(parse.GetValue(dir), KeyTypes.Parse(parse.GetValue(key)!), parse.GetValue(name)!, parse.GetValue(force));
            Console.WriteLine($"created {ca.RootFile} and {ca.IntermediateFile}");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Issue()
    {
        var dir = Dir(); var force = Force(); var key = Key();
        var names = new Argument<string[]>("names") { Description = "DNS names, IP addresses and email addresses for the certificate", Arity = ArgumentArity.OneOrMore };
        var client = new Option<bool>("--client") { Description = "A client certificate (clientAuth) instead of a server one" };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => 90 };
        var output = new Option<string?>("--out") { Description = "Output prefix: PREFIX.pem (chain) and PREFIX.key (default: the first name)" };
        var c = new Command("issue", "Issue a server (or --client) certificate") { names, dir, force, key, client, days, output };
        c.SetAction(parse => Run(() =>
        {
            var ca = LocalCa.Open(parse.GetValue(dir));
            var n = parse.GetValue(names)!;
            var (chain, keyPem, leaf) = ca.Issue(n, parse.GetValue(client), parse.GetValue(days), KeyTypes.Parse(parse.GetValue(key)!));
            var prefix = parse.GetValue(output) ?? n[0].Replace('*', '_');
            Files.Write(prefix + ".pem", chain, parse.GetValue(force));
            Files.Write(prefix + ".key", keyPem, parse.GetValue(force), secret: true);
            Console.WriteLine($"issued {leaf.Subject} (serial {leaf.SerialNumber.ToLowerInvariant()}) to {prefix}.pem and {prefix}.key");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Csr()
    {
        var force = Force(); var key = Key();
        var names = new Argument<string[]>("names") { Description = "Names for the request (the first is the CN)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Output prefix: PREFIX.csr and PREFIX.key" };
        var c = new Command("csr", "Create a private key and a certificate signing request") { names, force, key, output };
        c.SetAction(parse => Run(() =>
        {
            var n = parse.GetValue(names)!;
            using var k = CaKey.Create(KeyTypes.Parse(parse.GetValue(key)!));
            var request = k.Request($"CN={n[0]}");
            var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            foreach (var name in n)
                if (System.Net.IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            var prefix = parse.GetValue(output) ?? n[0];
            Files.Write(prefix + ".csr", request.CreateSigningRequestPem(k.Signer) + "\n", parse.GetValue(force));
            Files.Write(prefix + ".key", k.ExportPem(), parse.GetValue(force), secret: true);
            Console.WriteLine($"wrote {prefix}.csr and {prefix}.key");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Sign()
    {
        var dir = Dir(); var force = Force();
        var csr = new Argument<string>("csr") { Description = "PEM certificate signing request" };
        var client = new Option<bool>("--client") { Description = "Sign as a client certificate" };
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 90, Description = "Validity in days" };
        var output = new Option<string?>("--out") { Description = "Output file for the chain (default: CSR name with .pem)" };
        var c = new Command("sign", "Sign a certificate signing request") { csr, dir, force, client, days, output };
        c.SetAction(parse => Run(() =>
        {
            var ca = LocalCa.Open(parse.GetValue(dir));
            var path = parse.GetValue(csr)!;
            var (chain, leaf) = ca.SignRequest(System.Text.Encoding.ASCII.GetString(Files.Read(path)), [], parse.GetValue(client), parse.GetValue(days));
            var outPath = parse.GetValue(output) ?? Path.ChangeExtension(path, ".pem");
            Files.Write(outPath, chain, parse.GetValue(force));
            Console.WriteLine($"signed {leaf.Subject} (serial {leaf.SerialNumber.ToLowerInvariant()}) to {outPath}");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Revoke()
    {
        var dir = Dir();
        var serial = new Argument<string>("serial") { Description = "Serial number (hex) of a certificate this CA issued" };
        var c = new Command("revoke", "Mark a certificate revoked (then run `tessera ca crl`)") { serial, dir };
        c.SetAction(parse => Run(() =>
        {
            LocalCa.Open(parse.GetValue(dir)).Revoke(parse.GetValue(serial)!);
            Console.WriteLine($"revoked {parse.GetValue(serial)}");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Crl()
    {
        var dir = Dir();
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 7, Description = "Days until nextUpdate" };
        var c = new Command("crl", "Write crl.pem listing the revoked certificates") { dir, days };
        c.SetAction(parse => Run(() =>
        {
            Console.WriteLine($"wrote {LocalCa.Open(parse.GetValue(dir)).WriteCrl(parse.GetValue(days))}");
            return ExitCodes.Success;
        }));
        return c;
    }

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "A certificate or chain (PEM or DER), a CSR or a CRL" };
        var ca = new Option<string?>("--ca") { Description = "Judge the chain against these roots (PEM)" };
        var system = new Option<bool>("--system") { Description = "Judge the chain against the system trust store" };
        var host = new Option<string?>("--host") { Description = "Also check the chain covers this name" };
        var lint = new Option<bool>("--lint")
        {
            Description = "Also list the issuance rules each certificate breaks (CA/Browser Forum and RFC 5280 rules that bind the CA, which browsers do not enforce); exit 1 when any is broken",
        };
        var c = new Command("inspect", "Show certificates, CSRs and CRLs, with fingerprints and a verdict") { file, ca, system, host, lint };
        c.SetAction(parse => Run(() =>
        {
            TrustStore? trust = parse.GetValue(ca) is { } path ? Files.Trust(path) : parse.GetValue(system) ? TrustStore.System : null;
            return CertificateInspector.Inspect(AnsiConsole.Console, parse.GetValue(file)!, trust, parse.GetValue(host), parse.GetValue(lint));
        }));
        return c;
    }

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"tessera ca: {e.Message}");
            return e.ExitCode;
        }
        catch (PkiException e)
        {
            Console.Error.WriteLine($"tessera ca: {e.Message}");
            return ExitCodes.For(e.Failure);
        }
    }
}
