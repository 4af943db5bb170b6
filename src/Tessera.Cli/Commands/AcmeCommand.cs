using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Acme;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Pki;

namespace Tessera.Cli.Commands;

/// <summary>
/// `tessera acme`: certificates from an ACME CA (Let's Encrypt, a private CA, Pebble) — account, issue, renew,
/// revoke, list. State (account keys, certificates with their keys) lives in a store folder ($TESSERA_HOME/acme).
/// </summary>
internal static class AcmeCommand
{
    public static Command Create()
    {
        var command = new Command("acme", "Get, renew and revoke certificates from an ACME CA (RFC 8555)");
        command.Subcommands.Add(Account());
        command.Subcommands.Add(Issue());
        command.Subcommands.Add(Renew());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(List());
        return command;
    }

    private static Option<string> Directory() => new("--directory") { Description = "The CA's ACME directory URL", DefaultValueFactory = _ => "https://acme-v02.api.letsencrypt.org/directory" };
    private static Option<string?> Ca() => new("--ca") { Description = "PEM file of roots that vouch for the directory's HTTPS certificate (a private CA, Pebble)" };
    private static Option<string?> Store() => new("--store") { Description = "Where accounts and certificates are kept (default $TESSERA_HOME/acme)" };
    private static Option<bool> Json() => new("--json") { Description = "Print the result as JSON" };

    private sealed record Common(Uri Directory, TrustStore? Trust, AcmeFileStore Store, bool Json);

    private static Common Read(ParseResult parse, Option<string> directory, Option<string?> ca, Option<string?> store, Option<bool> json)
    {
        if (!Uri.TryCreate(parse.GetValue(directory), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            throw new CliException(ExitCodes.Usage, $"--directory must be an https URL, not '{parse.GetValue(directory)}'");
        var trust = parse.GetValue(ca) is { } file ? Files.Trust(file) : null;
        return new Common(url, trust, new AcmeFileStore(parse.GetValue(store) ?? Path.Combine(LocalCa.Home, "acme")), parse.GetValue(json));
    }

    private static Command Account()
    {
        var command = new Command("account", "Create, show, roll over or deactivate the account for a directory");
        foreach (var action in new[] { "create", "show", "rollover", "deactivate" })
        {
            var directory = Directory(); var ca = Ca(); var store = Store(); var json = Json();
            var email = new Option<string[]>("--email") { Description = "Contact address (repeatable)", AllowMultipleArgumentsPerToken = true };
            var agree = new Option<bool>("--agree-tos") { Description = "Agree to the CA's terms of service" };
            var eabKid = new Option<string?>("--eab-kid") { Description = "External Account Binding key ID, for CAs that require it" };
            var eabHmac = new Option<string?>("--eab-hmac") { Description = "External Account Binding HMAC key (base64url)" };
            var c = new Command(action, action switch
            {
                "create" => "Create the account (or find the one this store's key has)",
                "show" => "Show the stored account as the CA sees it",
                "rollover" => "Replace the account key with a new one (RFC 8555 §7.3.5)",
                _ => "Deactivate the account: the CA refuses its key from then on",
            }) { directory, ca, store, json };
            if (action == "create") { c.Options.Add(email); c.Options.Add(agree); c.Options.Add(eabKid); c.Options.Add(eabHmac); }
            c.SetAction(async (parse, token) =>
            {
                var common = Read(parse, directory, ca, store, json);
                if (action == "create")
                {
                    var (client, account) = await AccountAsync(common, parse.GetValue(email) ?? [], parse.GetValue(agree), Binding(parse.GetValue(eabKid), parse.GetValue(eabHmac)), create: true, token);
                    using (client) Print(common, account);
                    return ExitCodes.Success;
                }
                var (existing, found) = await AccountAsync(common, [], false, null, create: false, token);
                using (existing)
                {
                    switch (action)
                    {
                        case "show":
                            Print(common, await existing.FindAccountAsync(token));
                            break;
                        case "rollover":
                            var newKey = AcmeAccountKey.CreateEs256();
                            await existing.RolloverKeyAsync(newKey, token);
                            common.Store.SaveAccount(common.Directory, new StoredAccount(found.Url, newKey.ExportPem(), found.Contact));
                            Console.WriteLine($"account {found.Url} now signs with a new key");
                            break;
                        default:
                            Print(common, await existing.DeactivateAsync(token));
                            break;
                    }
                }
                return ExitCodes.Success;
            });
            command.Subcommands.Add(c);
        }
        return command;
    }

    private static ExternalAccountBinding? Binding(string? kid, string? hmac) => (kid, hmac) switch
    {
        (null, null) => null,
        ({ } k, { } h) => ExternalAccountBinding.FromBase64Url(k, h),
        _ => throw new CliException(ExitCodes.Usage, "--eab-kid and --eab-hmac go together"),
    };

    /// <summary>A client with the stored account (or, with <paramref name="create"/>, a new one when none is stored).</summary>
    private static async Task<(AcmeClient Client, AcmeAccount Account)> AccountAsync(Common common, string[] emails, bool agree, ExternalAccountBinding? binding, bool create, CancellationToken token)
    {
        // Progress lines go to stderr, so stdout stays the result alone (and --json stays parseable).
        var options = new AcmeClientOptions { Trust = common.Trust, Progress = step => Console.Error.WriteLine($"  {step}") };
        if (common.Store.LoadAccount(common.Directory) is { } stored)
        {
            var client = new AcmeClient(common.Directory, AcmeAccountKey.FromPem(stored.KeyPem), options);
            var account = await client.FindAccountAsync(token);
            return (client, account);
        }
        if (!create) throw new CliException(ExitCodes.Usage, $"no account is stored for {common.Directory} in {common.Store.Root}; run `tessera acme account create --agree-tos`");
        var key = AcmeAccountKey.CreateEs256();
        var fresh = new AcmeClient(common.Directory, key, options);
        if (!agree)
        {
            var terms = await fresh.TermsOfServiceAsync(token);
            fresh.Dispose();
            throw new CliException(ExitCodes.Usage, $"creating an account means agreeing to the CA's terms of service{(terms is null ? "" : $" ({terms})")}: add --agree-tos");
        }
        var contact = Array.ConvertAll(emails, e => e.StartsWith("mailto:", StringComparison.Ordinal) ? e : "mailto:" + e);
        var created = await fresh.CreateAccountAsync(contact, agreeToTerms: true, binding, token);
        common.Store.SaveAccount(common.Directory, new StoredAccount(created.Url, key.ExportPem(), created.Contact));
        return (fresh, created);
    }

    private static void Print(Common common, AcmeAccount account)
    {
        if (common.Json) Console.WriteLine(JsonSerializer.Serialize(new AccountView(account.Url.AbsoluteUri, account.Status, [.. account.Contact]), AcmeViewJsonContext.Default.AccountView));
        else Console.WriteLine($"account {account.Url} {account.Status}{(account.Contact.Count > 0 ? " " + string.Join(", ", account.Contact) : "")}");
    }

    private static Command Issue()
    {
        var directory = Directory(); var ca = Ca(); var store = Store(); var json = Json();
        var names = new Argument<string[]>("names") { Description = "DNS names and IP addresses", Arity = ArgumentArity.OneOrMore };
        var challenge = new Option<string>("--challenge") { Description = "http-01 (default), tls-alpn-01 or dns-01", DefaultValueFactory = _ => "http-01" };
        var httpPort = new Option<int>("--http-port") { Description = "Port the http-01 responder listens on", DefaultValueFactory = _ => 80 };
        var tlsPort = new Option<int>("--tls-port") { Description = "Port the tls-alpn-01 responder listens on", DefaultValueFactory = _ => 443 };
        var dnsHook = new Option<string?>("--dns-hook") { Description = "Program run as `PROGRAM present|cleanup NAME VALUE` to set dns-01 TXT records" };
        var keyType = new Option<string>("--key-type") { Description = "ec256 (default), ec384, rsa2048, rsa3072", DefaultValueFactory = _ => "ec256" };
        var output = new Option<string?>("--out") { Description = "Also write PREFIX.pem (leaf, then chain) and PREFIX.key" };
        var email = new Option<string[]>("--email") { Description = "Contact address for a new account (repeatable)", AllowMultipleArgumentsPerToken = true };
        var agree = new Option<bool>("--agree-tos") { Description = "Agree to the CA's terms of service (needed when an account is created)" };
        var eabKid = new Option<string?>("--eab-kid") { Description = "External Account Binding key ID" };
        var eabHmac = new Option<string?>("--eab-hmac") { Description = "External Account Binding HMAC key (base64url)" };
        var profile = new Option<string?>("--profile") { Description = "The certificate profile to order, one the CA's directory lists (Let's Encrypt: classic, shortlived); kept for renewals" };
        var c = new Command("issue", "Get a certificate for NAMES (creating the account first if none is stored)")
        {
            names, directory, ca, store, json, challenge, httpPort, tlsPort, dnsHook, keyType, output, email, agree, eabKid, eabHmac, profile,
        };
        c.SetAction(async (parse, token) =>
        {
            var common = Read(parse, directory, ca, store, json);
            var n = parse.GetValue(names)!;
            var (type, typeName) = KeyTypeOf(parse.GetValue(keyType)!);
            var (client, _) = await AccountAsync(common, parse.GetValue(email) ?? [], parse.GetValue(agree), Binding(parse.GetValue(eabKid), parse.GetValue(eabHmac)), create: true, token);
            using (client)
            {
                var issued = await IssueAsync(client, common, n, type, typeName, parse.GetValue(challenge)!, parse.GetValue(httpPort), parse.GetValue(tlsPort), parse.GetValue(dnsHook), null, parse.GetValue(profile), token);
                if (parse.GetValue(output) is { } prefix)
                {
                    Files.Write(prefix + ".key", issued.KeyPem, force: true, secret: true);
                    Files.Write(prefix + ".pem", issued.ChainPem, force: true);
                }
                Report(common, issued, parse.GetValue(output));
            }
            return ExitCodes.Success;
        });
        return c;
    }

    private static (KeyType, string) KeyTypeOf(string name) => name.ToLowerInvariant() switch
    {
        "ec256" => (KeyType.EcdsaP256, "ec256"),
        "ec384" => (KeyType.EcdsaP384, "ec384"),
        "rsa2048" => (KeyType.Rsa2048, "rsa2048"),
        "rsa3072" => (KeyType.Rsa3072, "rsa3072"),
        _ => throw new CliException(ExitCodes.Usage, $"--key-type must be ec256, ec384, rsa2048 or rsa3072, not '{name}'"),
    };

    private static async Task<StoredCertificate> IssueAsync(AcmeClient client, Common common, string[] names, KeyType type, string typeName, string challenge,
        int httpPort, int tlsPort, string? dnsHook, X509Certificate2? replaces, string? profile, CancellationToken token)
    {
        using var key = CaKey.Create(type);
        AcmeCertificate issued;
        switch (challenge)
        {
            case "http-01":
                await using (var responder = new StandaloneHttp01Responder(httpPort))
                    issued = await client.IssueAsync(names, responder.Tokens, key, replaces, token, profile);
                break;
            case "tls-alpn-01":
                await using (var responder = new TlsAlpn01Responder(tlsPort))
                    issued = await client.IssueAsync(names, responder, key, replaces, token, profile);
                break;
            case "dns-01":
                if (dnsHook is null) throw new CliException(ExitCodes.Usage, "--challenge dns-01 needs --dns-hook PROGRAM (run as `PROGRAM present|cleanup NAME VALUE`)");
                issued = await client.IssueAsync(names, new Dns01Solver(new ExecDns01Provider(dnsHook)), key, replaces, token, profile);
                break;
            default:
                throw new CliException(ExitCodes.Usage, $"--challenge must be http-01, tls-alpn-01 or dns-01, not '{challenge}'");
        }
        var stored = new StoredCertificate(names, issued.ChainPem, key.ExportPem(), typeName, issued.Url, profile);
        common.Store.SaveCertificate(common.Directory, stored);
        return stored;
    }

    private static void Report(Common common, StoredCertificate stored, string? prefix)
    {
        using var leaf = X509Certificate2.CreateFromPem(stored.ChainPem);
        if (common.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new CertificateView([.. stored.Names], leaf.SerialNumber.ToLowerInvariant(), new DateTimeOffset(leaf.NotAfter.ToUniversalTime()),
                prefix is null ? null : prefix + ".pem", prefix is null ? null : prefix + ".key", stored.Url?.AbsoluteUri), AcmeViewJsonContext.Default.CertificateView));
            return;
        }
        Console.WriteLine($"issued {string.Join(", ", stored.Names)} (serial {leaf.SerialNumber.ToLowerInvariant()}, valid until {leaf.NotAfter.ToUniversalTime():u})" +
            (prefix is null ? "" : $" to {prefix}.pem and {prefix}.key"));
    }

    private static Command Renew()
    {
        var directory = Directory(); var ca = Ca(); var store = Store(); var json = Json();
        var force = new Option<bool>("--force") { Description = "Renew every stored certificate now, due or not" };
        var challenge = new Option<string>("--challenge") { Description = "http-01 (default), tls-alpn-01 or dns-01", DefaultValueFactory = _ => "http-01" };
        var httpPort = new Option<int>("--http-port") { Description = "Port the http-01 responder listens on", DefaultValueFactory = _ => 80 };
        var tlsPort = new Option<int>("--tls-port") { Description = "Port the tls-alpn-01 responder listens on", DefaultValueFactory = _ => 443 };
        var dnsHook = new Option<string?>("--dns-hook") { Description = "Program for dns-01 TXT records" };
        var c = new Command("renew", "Renew the stored certificates that are due (the CA's ARI window, or two thirds of the lifetime)")
        {
            directory, ca, store, json, force, challenge, httpPort, tlsPort, dnsHook,
        };
        c.SetAction(async (parse, token) =>
        {
            var common = Read(parse, directory, ca, store, json);
            var (client, _) = await AccountAsync(common, [], false, null, create: false, token);
            using (client)
            {
                foreach (var stored in common.Store.ListCertificates(common.Directory))
                {
                    using var leaf = X509Certificate2.CreateFromPem(stored.ChainPem);
                    var window = await client.GetRenewalWindowAsync(leaf, token);
                    var decision = RenewalPolicy.Decide(leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), window, DateTimeOffset.UtcNow, Random.Shared);
                    if (!decision.RenewNow && !parse.GetValue(force))
                    {
                        Console.WriteLine($"{stored.Names[0]}: not yet: {decision.Reason}");
                        continue;
                    }
                    Console.WriteLine($"{stored.Names[0]}: renewing: {(parse.GetValue(force) && !decision.RenewNow ? "--force" : decision.Reason)}");
                    var (type, typeName) = KeyTypeOf(stored.KeyType);
                    var renewed = await IssueAsync(client, common, [.. stored.Names], type, typeName, parse.GetValue(challenge)!, parse.GetValue(httpPort), parse.GetValue(tlsPort), parse.GetValue(dnsHook), leaf, stored.Profile, token);
                    Report(common, renewed, null);
                }
            }
            return ExitCodes.Success;
        });
        return c;
    }

    private static Command Revoke()
    {
        var directory = Directory(); var ca = Ca(); var store = Store(); var json = Json();
        var name = new Argument<string>("name") { Description = "The stored certificate's first name" };
        var reason = new Option<int?>("--reason") { Description = "RFC 5280 CRLReason code (1 keyCompromise, 4 superseded, 5 cessationOfOperation)" };
        var c = new Command("revoke", "Revoke a stored certificate with the account key") { name, directory, ca, store, json, reason };
        c.SetAction(async (parse, token) =>
        {
            var common = Read(parse, directory, ca, store, json);
            var stored = common.Store.LoadCertificate(common.Directory, parse.GetValue(name)!)
                ?? throw new CliException(ExitCodes.FileError, $"no certificate named {parse.GetValue(name)} is stored for {common.Directory} in {common.Store.Root}");
            var (client, _) = await AccountAsync(common, [], false, null, create: false, token);
            using (client)
            using (var leaf = X509Certificate2.CreateFromPem(stored.ChainPem))
            {
                await client.RevokeAsync(leaf, parse.GetValue(reason), token);
                Console.WriteLine($"revoked {string.Join(", ", stored.Names)} (serial {leaf.SerialNumber.ToLowerInvariant()})");
            }
            return ExitCodes.Success;
        });
        return c;
    }

    private static Command List()
    {
        var directory = Directory(); var ca = Ca(); var store = Store(); var json = Json();
        var c = new Command("list", "List the stored certificates for a directory, with their expiry (nothing is asked of the CA)") { directory, ca, store, json };
        c.SetAction(parse =>
        {
            var common = Read(parse, directory, ca, store, json);
            var views = new List<CertificateView>();
            foreach (var stored in common.Store.ListCertificates(common.Directory))
            {
                using var leaf = X509Certificate2.CreateFromPem(stored.ChainPem);
                views.Add(new CertificateView([.. stored.Names], leaf.SerialNumber.ToLowerInvariant(), new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), null, null, stored.Url?.AbsoluteUri));
            }
            if (common.Json) Console.WriteLine(JsonSerializer.Serialize(views, AcmeViewJsonContext.Default.ListCertificateView));
            else if (views.Count == 0) Console.WriteLine($"no certificates stored for {common.Directory}");
            else foreach (var v in views) Console.WriteLine($"{string.Join(", ", v.Names)}  valid until {v.NotAfter:u}  serial {v.Serial}");
            return ExitCodes.Success;
        });
        return c;
    }
}

/// <summary>`tessera acme --json` output for an account.</summary>
internal sealed record AccountView([property: JsonPropertyName("url")] string Url, [property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("contact")] List<string> Contact);

/// <summary>`tessera acme --json` output for a certificate.</summary>
internal sealed record CertificateView(
    [property: JsonPropertyName("names")] List<string> Names,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("not_after")] DateTimeOffset NotAfter,
    [property: JsonPropertyName("certificate_file")] string? CertificateFile,
    [property: JsonPropertyName("key_file")] string? KeyFile,
    [property: JsonPropertyName("url")] string? Url);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(CertificateView))]
[JsonSerializable(typeof(List<CertificateView>))]
internal sealed partial class AcmeViewJsonContext : JsonSerializerContext;
