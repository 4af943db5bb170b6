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
        var crlUrl = new Option<string?>("--crl-url") { Description = "URL where the CA's CRL will be served, named in every certificate issued (`ca serve` sets its own /crl)" };
        var c = new Command("init", "Create a root and an intermediate CA") { dir, force, key, name, crlUrl };
        c.SetAction(parse => Run(() =>
        {
            Uri? crl = null;
            if (parse.GetValue(crlUrl) is { } text && (!Uri.TryCreate(text, UriKind.Absolute, out crl) || crl.Scheme is not ("http" or "https")))
                throw new CliException(ExitCodes.Usage, $"--crl-url must be an http or https URL, not '{text}'");
            var ca = LocalCa.Init(parse.GetValue(dir), KeyTypes.Parse(parse.GetValue(key)!), parse.GetValue(name)!, parse.GetValue(force));
            if (crl is not null) ca.CrlUrl = crl;
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
            var prefix = parse.GetValue(output) ?? n[0].Replace('*', '_');
            foreach (var file in new[] { prefix + ".pem", prefix + ".key" })
                if (File.Exists(file) && !parse.GetValue(force)) throw new CliException(ExitCodes.FileError, $"{file} exists; use --force to overwrite it");
            var (chain, keyPem, leaf) = ca.Issue(n, parse.GetValue(client), parse.GetValue(days), KeyTypes.Parse(parse.GetValue(key)!));
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
            var outPath = parse.GetValue(output) ?? Path.ChangeExtension(path, ".pem");
            // Refuse before signing: a certificate signed and then not written would still be recorded as issued.
            if (File.Exists(outPath) && !parse.GetValue(force)) throw new CliException(ExitCodes.FileError, $"{outPath} exists; use --force to overwrite it");
            var (chain, leaf) = ca.SignRequest(System.Text.Encoding.ASCII.GetString(Files.Read(path)), [], parse.GetValue(client), parse.GetValue(days));
            Files.Write(outPath, chain, force: true);
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
            var revoked = LocalCa.Open(parse.GetValue(dir)).Revoke(parse.GetValue(serial)!);
            Console.WriteLine(revoked ? $"revoked {parse.GetValue(serial)}" : $"{parse.GetValue(serial)} was already revoked; nothing changed");
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
        var crl = new Option<string[]>("--crl") { Description = "CRL files (PEM or DER) the verdict checks the chain against (repeatable)", AllowMultipleArgumentsPerToken = true };
        var c = new Command("inspect", "Show certificates, CSRs and CRLs, with fingerprints and a verdict") { file, ca, system, host, lint, crl };
        c.SetAction(parse => Run(() =>
        {
            TrustStore? trust = parse.GetValue(ca) is { } path ? Files.Trust(path) : parse.GetValue(system) ? TrustStore.System : null;
            var crls = (parse.GetValue(crl) ?? []).Select(Files.Crl).ToList();
            if (crls.Count > 0 && trust is null) throw new CliException(ExitCodes.Usage, "--crl needs --ca or --system: the CRL is checked as part of the verdict");
            return CertificateInspector.Inspect(AnsiConsole.Console, parse.GetValue(file)!, trust, parse.GetValue(host), parse.GetValue(lint), crls);
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
