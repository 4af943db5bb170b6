using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Diagnostics;
using Tessera.Pki;

namespace Tessera.Acme.Server;

public sealed partial class AcmeServer
{
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromDays(7);
    private const int MaxIdentifiers = 100;

    /// <summary>
    /// newOrder (§7.4): identifiers checked (names well formed, IP addresses only where the profile allows them, a
    /// wildcard only as the first label), the profile known (the profiles extension), <c>replaces</c> naming a
    /// certificate of this account not yet replaced (RFC 9773 §5), the rate limits respected; a valid authorization of
    /// the same account for an identifier is reused, as Boulder does, else a new one is made.
    /// </summary>
    private async Task NewOrderAsync(HttpContext context)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        using var payload = signed.PayloadJson();
        var root = payload.RootElement;
        if (root.TryGetProperty("notBefore", out _) || root.TryGetProperty("notAfter", out _))
            throw AcmeProblemException.Malformed("notBefore and notAfter are not supported; pick a profile for the lifetime");
        var profile = Profile(root);
        var identifiers = Identifiers(root, profile);
        string? replaces = root.TryGetProperty("replaces", out var r)
            ? r.ValueKind == JsonValueKind.String ? r.GetString() : throw AcmeProblemException.Malformed("replaces is a certificate identifier string")
            : null;
        OrderRecord order;
        lock (_store.Gate)
        {
            var now = Now;
            if (replaces is not null) CheckReplaces(replaces, account!, identifiers);
            CheckRateLimits(account!, identifiers, renewal: replaces is not null, now);
            var authorizations = new List<string>(identifiers.Count);
            foreach (var identifier in identifiers)
            {
                var wildcard = identifier.Value.StartsWith("*.", StringComparison.Ordinal);
                var bare = wildcard ? identifier with { Value = identifier.Value[2..] } : identifier;
                var reused = _store.Authorizations.FirstOrDefault(z => z.AccountId == account!.Id && z.Identifier == bare && z.Wildcard == wildcard
                    && z.Status == "valid" && z.Expires > now.AddDays(1));
                if (reused is not null)
                {
                    authorizations.Add(reused.Id);
                    continue;
                }
                var authorization = new AuthorizationRecord
                {
                    Id = AcmeServerStore.NewId(),
                    AccountId = account!.Id,
                    Identifier = bare,
                    Wildcard = wildcard,
                    Expires = now + PendingLifetime,
                    Challenges = ChallengesFor(bare, wildcard),
                };
                _store.Save(authorization);
                authorizations.Add(authorization.Id);
            }
            order = new OrderRecord
            {
                Id = AcmeServerStore.NewId(),
                AccountId = account!.Id,
                Identifiers = identifiers,
                AuthorizationIds = authorizations,
                Profile = profile.Name,
                Created = now,
                Expires = now + PendingLifetime,
                Replaces = replaces,
            };
            _store.Save(order);
        }
        Log($"order {order.Id} by account {account!.Id}: {string.Join(", ", identifiers.Select(i => i.Value))} ({order.Profile}{(replaces is null ? "" : ", replaces " + replaces)})");
        await JsonAsync(context, 201, OrderJson(order), Url("/acme/order/" + order.Id)).ConfigureAwait(false);
    }

    private AcmeProfile Profile(JsonElement request)
    {
        if (!request.TryGetProperty("profile", out var name)) return _options.Profiles[0];
        if (name.ValueKind == JsonValueKind.String)
            foreach (var profile in _options.Profiles)
                if (profile.Name == name.GetString()) return profile;
        throw new AcmeProblemException("invalidProfile", 400,
            $"no profile {PeerText.Clip(name.ToString(), 40)}; this CA offers {string.Join(", ", _options.Profiles.Select(p => p.Name))}");
    }

    /// <summary>The order's identifiers, canonical (DNS names lower-case without a final dot, IP addresses as .NET prints them) and without duplicates.</summary>
    private static List<IdentifierRecord> Identifiers(JsonElement request, AcmeProfile profile)
    {
        if (!request.TryGetProperty("identifiers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw AcmeProblemException.Malformed("an order names at least one identifier");
        if (list.GetArrayLength() > MaxIdentifiers) throw new AcmeProblemException("rejectedIdentifier", 400, $"an order names at most {MaxIdentifiers} identifiers");
        var result = new List<IdentifierRecord>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var t) || !item.TryGetProperty("value", out var v)
                || t.ValueKind != JsonValueKind.String || v.ValueKind != JsonValueKind.String)
                throw AcmeProblemException.Malformed("an identifier is an object with a type and a value");
            var value = v.GetString()!;
            var identifier = t.GetString() switch
            {
                "dns" => new IdentifierRecord("dns", DnsName(value)),
                "ip" => IPAddress.TryParse(value, out var ip) && !value.Contains('%')
                    ? profile.AllowIpAddresses ? new IdentifierRecord("ip", ip.ToString())
                        : throw new AcmeProblemException("rejectedIdentifier", 400, $"the {profile.Name} profile issues no IP address certificates; use a profile that does")
                    : throw new AcmeProblemException("malformed", 400, $"{PeerText.Clip(value, 60)} is not an IP address"),
                var other => throw new AcmeProblemException("unsupportedIdentifier", 400, $"identifiers of type {PeerText.Clip(other ?? "", 20)} are not supported (dns and ip are)"),
            };
            if (!result.Contains(identifier)) result.Add(identifier);
        }
        return result;
    }

    /// <summary>A DNS name as a certificate may carry it: LDH labels of 1 to 63 characters, 253 in all, a wildcard only as the whole first label.</summary>
    private static string DnsName(string value)
    {
        var name = value.ToLowerInvariant().TrimEnd('.');
        var bad = new AcmeProblemException("rejectedIdentifier", 400, $"{PeerText.Clip(value, 80)} is not a DNS name this CA issues for");
        if (name.Length is 0 or > 253 || IPAddress.TryParse(name, out _)) throw bad;
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 1) continue;
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') throw bad;
            foreach (var c in label)
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) throw bad;
        }
        return name;
    }

    private List<ChallengeRecord> ChallengesFor(IdentifierRecord identifier, bool wildcard)
    {
        // §8.3/8.4, RFC 8737 §3, RFC 8738 §7: a wildcard is proven only through DNS; an IP address never through DNS.
        var types = new List<string>();
        if (!wildcard)
        {
            types.Add("http-01");
            types.Add("tls-alpn-01");
        }
        if (identifier.Type == "dns" && _validator.Dns01Available) types.Add("dns-01");
        if (types.Count == 0) throw new AcmeProblemException("rejectedIdentifier", 400, "a wildcard needs dns-01, and this server has no validation resolver (--dns-resolver)");
        return types.Select(t => new ChallengeRecord { Type = t, Token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) }).ToList();
    }

    private void CheckReplaces(string replaces, AccountRecord account, List<IdentifierRecord> identifiers)
    {
        var replaced = _store.Certificates.FirstOrDefault(c => c.AriId == replaces)
            ?? throw AcmeProblemException.Malformed($"replaces names no certificate this CA issued ({PeerText.Clip(replaces, 80)})");
        if (replaced.AccountId != account.Id) throw AcmeProblemException.Unauthorized("replaces names a certificate of another account");
        if (replaced.ReplacedByOrder is not null) throw new AcmeProblemException("alreadyReplaced", 409, $"the certificate {replaced.Serial} was already replaced");
        if (!replaced.Identifiers.Any(identifiers.Contains))
            throw AcmeProblemException.Malformed("replaces names a certificate that shares no identifier with this order");
    }

    /// <summary>
    /// New orders per account, and certificates per identifier (renewals through <c>replaces</c> exempt, as Let's
    /// Encrypt exempts them), each counted over <see cref="AcmeServerOptions.RateWindow"/> from the stored state, so a
    /// restart forgets nothing; Retry-After says when the oldest counted one leaves the window.
    /// </summary>
    private void CheckRateLimits(AccountRecord account, List<IdentifierRecord> identifiers, bool renewal, DateTimeOffset now)
    {
        var since = now - _options.RateWindow;
        var orders = _store.Orders.Where(o => o.AccountId == account.Id && o.Created > since).Select(o => o.Created).ToList();
        if (orders.Count >= _options.OrdersPerAccount)
            throw new AcmeProblemException("rateLimited", 429,
                $"too many new orders: {orders.Count} in the last {_options.RateWindow.TotalHours:0.#} hours for this account (the limit is {_options.OrdersPerAccount})",
                orders.Min() + _options.RateWindow - now);
        if (renewal) return;
        foreach (var identifier in identifiers)
        {
            var issued = _store.Certificates.Where(c => c.NotBefore > since - TimeSpan.FromMinutes(5) && c.Identifiers.Contains(identifier)).Select(c => c.NotBefore).ToList();
            if (issued.Count >= _options.CertificatesPerIdentifier)
                throw new AcmeProblemException("rateLimited", 429,
                    $"too many certificates: {issued.Count} for {identifier.Value} in the last {_options.RateWindow.TotalHours:0.#} hours (the limit is {_options.CertificatesPerIdentifier})",
                    issued.Min() + TimeSpan.FromMinutes(5) + _options.RateWindow - now);
        }
    }

    private async Task OrderAsync(HttpContext context, string id)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        OrderRecord order;
        lock (_store.Gate) order = OwnedOrder(id, account!);
        await JsonAsync(context, 200, OrderJson(order)).ConfigureAwait(false);
    }

    private OrderRecord OwnedOrder(string id, AccountRecord account)
    {
        var order = _store.Order(id) ?? throw AcmeProblemException.NotFound("no such order");
        if (order.AccountId != account.Id) throw AcmeProblemException.Unauthorized("the order belongs to another account");
        return order;
    }

    private async Task AuthorizationAsync(HttpContext context, string id)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        AuthorizationRecord authorization;
        lock (_store.Gate)
        {
            authorization = OwnedAuthorization(id, account!);
            if (!signed.IsPostAsGet)
            {
                // §7.5.2: the client may deactivate an authorization it no longer wants.
                using var payload = signed.PayloadJson();
                if (!payload.RootElement.TryGetProperty("status", out var s) || s.GetString() != "deactivated")
                    throw AcmeProblemException.Malformed("an authorization's status can only be set to \"deactivated\"");
                if (AuthorizationStatus(authorization) is not ("pending" or "valid"))
                    throw AcmeProblemException.Malformed($"the authorization is {AuthorizationStatus(authorization)} and cannot be deactivated");
                authorization.Status = "deactivated";
                _store.Save(authorization);
            }
        }
        if (authorization.Challenges.Any(c => c.Status == "processing")) context.Response.Headers.RetryAfter = "1";
        await JsonAsync(context, 200, AuthorizationJson(authorization)).ConfigureAwait(false);
    }

    private AuthorizationRecord OwnedAuthorization(string id, AccountRecord account)
    {
        var authorization = _store.Authorization(id) ?? throw AcmeProblemException.NotFound("no such authorization");
        if (authorization.AccountId != account.Id) throw AcmeProblemException.Unauthorized("the authorization belongs to another account");
        return authorization;
    }

    /// <summary>
    /// A challenge (§7.5.1): POST-as-GET reads it; a payload (<c>{}</c>) asks the server to validate, which it does in
    /// the background while the challenge is "processing"; the client polls the authorization.
    /// </summary>
    private async Task ChallengeAsync(HttpContext context, string authorizationId, string type)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        AuthorizationRecord authorization;
        ChallengeRecord challenge;
        var start = false;
        lock (_store.Gate)
        {
            authorization = OwnedAuthorization(authorizationId, account!);
            challenge = authorization.Challenges.FirstOrDefault(c => c.Type == type) ?? throw AcmeProblemException.NotFound("no such challenge");
            if (!signed.IsPostAsGet && challenge.Status == "pending")
            {
                if (AuthorizationStatus(authorization) != "pending")
                    throw AcmeProblemException.Malformed($"the authorization is {AuthorizationStatus(authorization)}, not pending");
                using (signed.PayloadJson()) { }   // §7.5.1: the response is a JSON object (usually {})
                challenge.Status = "processing";
                _store.Save(authorization);
                start = true;
            }
        }
        if (start) StartValidation(authorization, challenge, account!.Thumbprint);
        if (challenge.Status == "processing") context.Response.Headers.RetryAfter = "1";   // §8.2: when to look again
        context.Response.Headers.Append("Link", $"<{Url("/acme/authz/" + authorization.Id).AbsoluteUri}>;rel=\"up\"");
        await JsonAsync(context, 200, ResourceWriter.Write(w => ResourceWriter.Challenge(w, challenge, ChallengeUrl(authorization, challenge)))).ConfigureAwait(false);
    }

    private void StartValidation(AuthorizationRecord authorization, ChallengeRecord challenge, string thumbprint)
    {
        var stopping = _stopping.Token;
        _ = Task.Run(async () =>
        {
            ProblemRecord? error = null;
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                deadline.CancelAfter(_options.ValidationTimeout + TimeSpan.FromSeconds(5));
                await _validator.ValidateAsync(challenge.Type, authorization.Identifier, challenge.Token, thumbprint, deadline.Token).ConfigureAwait(false);
            }
            catch (AcmeProblemException e)
            {
                error = new ProblemRecord(e.Type, e.Message, e.Status);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                error = new ProblemRecord("connection", $"{challenge.Type}: no answer within {_options.ValidationTimeout.TotalSeconds:0} seconds", 400);
            }
            catch (OperationCanceledException)
            {
                return;   // the server is stopping: the challenge stays processing and is validated at the next start
            }
            lock (_store.Gate)
            {
                var now = Now;
                if (error is null)
                {
                    challenge.Status = "valid";
                    challenge.Validated = now;
                    authorization.Status = "valid";
                    authorization.Expires = now + _options.AuthorizationReuse;
                }
                else
                {
                    challenge.Status = "invalid";
                    challenge.Error = error;
                    authorization.Status = "invalid";
                }
                _store.Save(authorization);
            }
            Log($"{challenge.Type} for {authorization.Identifier.Value}: {(error is null ? "valid" : "invalid: " + error.Detail)}");
        }, CancellationToken.None);
    }

    /// <summary>Challenges left "processing" by a stop are validated again (their clients are still polling, or will ask again).</summary>
    private void ResumeValidations()
    {
        List<(AuthorizationRecord, ChallengeRecord, string)> resume = [];
        lock (_store.Gate)
            foreach (var authorization in _store.Authorizations)
                foreach (var challenge in authorization.Challenges)
                    if (challenge.Status == "processing" && _store.Account(authorization.AccountId) is { } account)
                        resume.Add((authorization, challenge, account.Thumbprint));
        foreach (var (authorization, challenge, thumbprint) in resume) StartValidation(authorization, challenge, thumbprint);
    }

    /// <summary>
    /// finalize (§7.4): the order must be ready; the CSR's signature must verify, its key be ECDSA P-256/P-384 or RSA of
    /// 2048 to 4096 bits, and its names (subjectAltName DNS names and IP addresses, and the CN if any) be exactly the
    /// order's identifiers. The certificate is issued at once (the order goes straight to valid).
    /// </summary>
    private async Task FinalizeAsync(HttpContext context, string id)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        using var payload = signed.PayloadJson();
        if (!payload.RootElement.TryGetProperty("csr", out var csrText) || csrText.ValueKind != JsonValueKind.String)
            throw AcmeProblemException.Malformed("finalize needs a csr");
        byte[] der;
        try
        {
            der = System.Buffers.Text.Base64Url.DecodeFromChars(csrText.GetString()!);
        }
        catch (FormatException)
        {
            throw new AcmeProblemException("badCSR", 400, "the csr is not base64url");
        }
        OrderRecord order;
        lock (_store.Gate)
        {
            order = OwnedOrder(id, account!);
            var status = OrderStatus(order);
            if (status != "ready") throw new AcmeProblemException("orderNotReady", 403, $"the order is {status}, not ready");
            var request = CheckCsr(der, order.Identifiers);
            var profile = _options.Profiles.FirstOrDefault(p => p.Name == order.Profile) ?? _options.Profiles[0];
            var now = Now;
            var names = order.Identifiers.Select(i => i.Value).ToList();
            X509Certificate2 leaf;
            string chain;
            try
            {
                (chain, leaf) = _options.Ca.IssueFor(request.PublicKey, names, now + profile.Lifetime);
            }
            catch (PkiException e)
            {
                throw new AcmeProblemException("serverInternal", 500, $"the CA could not issue: {e.Message}");
            }
            using (leaf)
            {
                var certificate = new CertificateRecord
                {
                    Serial = leaf.SerialNumber.ToLowerInvariant(),
                    AccountId = account!.Id,
                    OrderId = order.Id,
                    AriId = AriCertificateId.Of(leaf)!,
                    ChainPem = chain,
                    Identifiers = order.Identifiers,
                    NotBefore = leaf.NotBefore.ToUniversalTime(),
                    NotAfter = leaf.NotAfter.ToUniversalTime(),
                };
                _store.Save(certificate);
                order.FinalStatus = "valid";
                order.CertificateSerial = certificate.Serial;
                _store.Save(order);
                if (order.Replaces is not null && _store.Certificates.FirstOrDefault(c => c.AriId == order.Replaces) is { } replaced)
                {
                    replaced.ReplacedByOrder = order.Id;
                    _store.Save(replaced);
                }
                Log($"issued {certificate.Serial} for {string.Join(", ", names)} to account {account.Id} ({profile.Name}, until {certificate.NotAfter:u}{(order.Replaces is null ? "" : ", replacing " + order.Replaces)})");
            }
        }
        await JsonAsync(context, 200, OrderJson(order), Url("/acme/order/" + order.Id)).ConfigureAwait(false);
    }

    private static CertificateRequest CheckCsr(byte[] der, List<IdentifierRecord> identifiers)
    {
        CertificateRequest request;
        try
        {
            // The signature is checked by default (no SkipSignatureValidation).
            request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var used, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            if (used != der.Length) throw new AcmeProblemException("badCSR", 400, "the csr has bytes after the request");
        }
        catch (CryptographicException e)
        {
            throw new AcmeProblemException("badCSR", 400, $"the csr does not parse or its signature does not verify (ECDSA and RSA requests only): {e.Message}");
        }
        switch (request.PublicKey.Oid.Value)
        {
            case "1.2.840.10045.2.1":
                using (var ec = request.PublicKey.GetECDsaPublicKey())
                    if (ec is null || ec.KeySize is not (256 or 384)) throw new AcmeProblemException("badCSR", 400, $"an ECDSA key must be P-256 or P-384, not {ec?.KeySize} bits");
                break;
            case "1.2.840.113549.1.1.1":
                using (var rsa = request.PublicKey.GetRSAPublicKey())
                    if (rsa is null || rsa.KeySize is < 2048 or > 4096) throw new AcmeProblemException("badCSR", 400, $"an RSA key must have 2048 to 4096 bits, not {rsa?.KeySize}");
                break;
            default:
                throw new AcmeProblemException("badCSR", 400, $"the key algorithm {request.PublicKey.Oid.Value} is not issued for (ECDSA P-256/P-384 and RSA are)");
        }
        var names = new HashSet<IdentifierRecord>();
        foreach (var extension in request.CertificateExtensions)
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dns in san.EnumerateDnsNames()) names.Add(new IdentifierRecord("dns", dns.ToLowerInvariant().TrimEnd('.')));
                foreach (var ip in san.EnumerateIPAddresses()) names.Add(new IdentifierRecord("ip", ip.ToString()));
            }
        foreach (var rdn in request.SubjectName.EnumerateRelativeDistinguishedNames())
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3" && rdn.GetSingleElementValue() is { } cn)
            {
                var asIdentifier = IPAddress.TryParse(cn, out var ip) ? new IdentifierRecord("ip", ip.ToString()) : new IdentifierRecord("dns", cn.ToLowerInvariant().TrimEnd('.'));
                if (!identifiers.Contains(asIdentifier)) throw new AcmeProblemException("badCSR", 400, $"the csr's CN {PeerText.Clip(cn, 80)} is not one of the order's identifiers");
            }
        var wanted = new HashSet<IdentifierRecord>(identifiers);
        if (!names.SetEquals(wanted))
            throw new AcmeProblemException("badCSR", 400,
                $"the csr names {PeerText.Clip(string.Join(", ", names.Select(n => n.Value)), 200)}, the order {string.Join(", ", identifiers.Select(n => n.Value))}; they must be the same");
        return request;
    }

    private string AuthorizationStatus(AuthorizationRecord authorization) =>
        authorization.Status is "pending" or "valid" && Now > authorization.Expires ? "expired" : authorization.Status;

    /// <summary>pending until every authorization is valid, then ready; invalid once one fails or expires, or the order expires.</summary>
    private string OrderStatus(OrderRecord order)
    {
        if (order.FinalStatus is { } final) return final;
        if (Now > order.Expires) return "invalid";
        var ready = true;
        foreach (var id in order.AuthorizationIds)
        {
            var status = _store.Authorization(id) is { } z ? AuthorizationStatus(z) : "invalid";
            if (status is "invalid" or "deactivated" or "expired" or "revoked") return "invalid";
            if (status != "valid") ready = false;
        }
        return ready ? "ready" : "pending";
    }

    private byte[] OrderJson(OrderRecord order)
    {
        string status;
        ProblemRecord? error = order.Error;
        lock (_store.Gate)
        {
            status = OrderStatus(order);
            if (status == "invalid" && error is null)
                foreach (var id in order.AuthorizationIds)
                    foreach (var c in _store.Authorization(id)?.Challenges ?? [])
                        if (c.Error is not null) error = c.Error;
        }
        return ResourceWriter.Write(w =>
        {
            w.WriteString("status", status);
            ResourceWriter.Time(w, "expires", order.Expires);
            w.WriteStartArray("identifiers");
            foreach (var i in order.Identifiers) ResourceWriter.Identifier(w, i);
            w.WriteEndArray();
            w.WriteString("profile", order.Profile);
            if (order.Replaces is not null) w.WriteString("replaces", order.Replaces);
            w.WriteStartArray("authorizations");
            foreach (var id in order.AuthorizationIds) w.WriteStringValue(Url("/acme/authz/" + id).AbsoluteUri);
            w.WriteEndArray();
            w.WriteString("finalize", Url($"/acme/order/{order.Id}/finalize").AbsoluteUri);
            if (order.CertificateSerial is { } serial) w.WriteString("certificate", Url("/acme/cert/" + serial).AbsoluteUri);
            if (error is not null)
            {
                w.WriteStartObject("error");
                ResourceWriter.Problem(w, error.Type, error.Detail, error.Status);
                w.WriteEndObject();
            }
        });
    }

    private byte[] AuthorizationJson(AuthorizationRecord authorization)
    {
        string status;
        lock (_store.Gate) status = AuthorizationStatus(authorization);
        return ResourceWriter.Write(w =>
        {
            w.WriteStartObject("identifier");
            w.WriteString("type", authorization.Identifier.Type);
            w.WriteString("value", authorization.Identifier.Value);
            w.WriteEndObject();
            w.WriteString("status", status);
            ResourceWriter.Time(w, "expires", authorization.Expires);
            if (authorization.Wildcard) w.WriteBoolean("wildcard", true);
            w.WriteStartArray("challenges");
            foreach (var c in authorization.Challenges)
            {
                // §7.1.4: once valid, only the challenge that succeeded is listed.
                if (status == "valid" && c.Status != "valid") continue;
                w.WriteStartObject();
                ResourceWriter.Challenge(w, c, ChallengeUrl(authorization, c));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private Uri ChallengeUrl(AuthorizationRecord authorization, ChallengeRecord challenge) => Url($"/acme/chall/{authorization.Id}/{challenge.Type}");
}
