using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Diagnostics;

namespace Tessera.Acme.Server;

public sealed partial class AcmeServer
{
    /// <summary>newAccount (§7.3): found by key (200) or created (201), with External Account Binding when required (§7.3.4).</summary>
    private async Task NewAccountAsync(HttpContext context)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (_, key) = Authenticate(signed, jwkAllowed: true, kidAllowed: false);
        using var payload = signed.PayloadJson();
        var root = payload.RootElement;
        int status;
        AccountRecord account;
        lock (_store.Gate)
        {
            if (_store.AccountByThumbprint(key.Thumbprint) is { } existing)
            {
                // §7.3.1: the same key finds its account, whatever else the request says.
                (status, account) = (200, existing);
            }
            else
            {
                if (root.TryGetProperty("onlyReturnExisting", out var only) && only.ValueKind == JsonValueKind.True)
                    throw new AcmeProblemException("accountDoesNotExist", 400, "no account has this key");
                var contact = Contacts(root);
                var eabKeyId = ExternalAccountRequired || root.TryGetProperty("externalAccountBinding", out _)
                    ? CheckExternalAccountBinding(root, key, signed.Url!)
                    : null;
                account = new AccountRecord
                {
                    Id = AcmeServerStore.NewId(),
                    Key = key.CanonicalJwk,
                    Thumbprint = key.Thumbprint,
                    Contact = contact,
                    Created = Now,
                    EabKeyId = eabKeyId,
                };
                _store.Save(account);
                status = 201;
                Log($"account {account.Id} created ({key.Algorithm}{(eabKeyId is null ? "" : ", EAB " + eabKeyId)})");
            }
        }
        await JsonAsync(context, status, AccountJson(account), AccountUrl(account)).ConfigureAwait(false);
    }

    /// <summary>POST to an account URL (§7.3.2, §7.3.6): POST-as-GET reads it; a payload updates its contact or deactivates it.</summary>
    private async Task AccountAsync(HttpContext context, string id)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        if (account!.Id != id) throw AcmeProblemException.Unauthorized("the request is signed by another account");
        if (!signed.IsPostAsGet)
        {
            using var payload = signed.PayloadJson();
            var root = payload.RootElement;
            lock (_store.Gate)
            {
                if (root.TryGetProperty("contact", out _)) account.Contact = Contacts(root);
                if (root.TryGetProperty("status", out var status))
                {
                    if (status.ValueKind != JsonValueKind.String || status.GetString() != "deactivated")
                        throw AcmeProblemException.Malformed("an account's status can only be set to \"deactivated\"");
                    account.Status = "deactivated";
                    Log($"account {account.Id} deactivated");
                }
                _store.Save(account);
            }
        }
        await JsonAsync(context, 200, AccountJson(account), AccountUrl(account)).ConfigureAwait(false);
    }

    /// <summary>The account's orders (§7.1.2.1): their URLs, newest first.</summary>
    private async Task AccountOrdersAsync(HttpContext context, string id)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        if (account!.Id != id) throw AcmeProblemException.Unauthorized("the request is signed by another account");
        List<OrderRecord> orders;
        lock (_store.Gate) orders = _store.Orders.Where(o => o.AccountId == id).OrderByDescending(o => o.Created).ToList();
        await JsonAsync(context, 200, ResourceWriter.Write(w =>
        {
            w.WriteStartArray("orders");
            foreach (var o in orders) w.WriteStringValue(Url("/acme/order/" + o.Id).AbsoluteUri);
            w.WriteEndArray();
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// keyChange (§7.3.5): the outer JWS by the account's current key, the inner by the new key with a jwk and the same
    /// url, its payload naming the account and the old key. A key another account holds is a 409 with that account's URL.
    /// </summary>
    private async Task KeyChangeAsync(HttpContext context)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, oldKey) = Authenticate(signed);
        using var outer = signed.PayloadJson();
        var inner = SignedRequest.Parse(outer.RootElement);
        if (inner.Jwk is null) throw AcmeProblemException.Malformed("the inner JWS of a key change carries the new key as a jwk");
        if (inner.Url != signed.Url) throw AcmeProblemException.Malformed("the inner JWS's url differs from the outer one's");
        var newKey = AccountKey.FromJwk(inner.Jwk.Value);
        if (inner.Algorithm != newKey.Algorithm || !newKey.Verify(inner.SigningInput, inner.Signature))
            throw AcmeProblemException.Malformed("JWS verification error: the inner JWS is not signed by the new key");
        using var innerPayload = inner.PayloadJson();
        var root = innerPayload.RootElement;
        if (!root.TryGetProperty("account", out var named) || named.GetString() != AccountUrl(account!).AbsoluteUri)
            throw AcmeProblemException.Malformed("the key change names another account");
        if (!root.TryGetProperty("oldKey", out var old) || AccountKey.FromJwk(old).Thumbprint != oldKey.Thumbprint)
            throw AcmeProblemException.Malformed("the key change's oldKey is not the account's current key");
        lock (_store.Gate)
        {
            if (newKey.Thumbprint == oldKey.Thumbprint) throw AcmeProblemException.Malformed("the new key is the account's current key");
            if (_store.AccountByThumbprint(newKey.Thumbprint) is { } holder)
                throw new AcmeProblemException("malformed", 409, "another account already has the new key") { Location = AccountUrl(holder) };
            account!.Key = newKey.CanonicalJwk;
            account.Thumbprint = newKey.Thumbprint;
            _store.Save(account, oldThumbprint: oldKey.Thumbprint);
            Log($"account {account.Id} rolled over to a new {newKey.Algorithm} key");
        }
        await JsonAsync(context, 200, AccountJson(account!), AccountUrl(account!)).ConfigureAwait(false);
    }

    /// <summary>
    /// §7.3.4: the binding is a JWS (HS256 under a key from `tessera ca eab add`) with the key identifier as kid and
    /// the newAccount URL as url, whose payload is the account's JWK. Each key binds one account.
    /// </summary>
    private string CheckExternalAccountBinding(JsonElement request, AccountKey key, string url)
    {
        if (!request.TryGetProperty("externalAccountBinding", out var binding))
            throw new AcmeProblemException("externalAccountRequired", 400, "this CA requires an External Account Binding (ask its operator for a key identifier and MAC key)");
        var eab = SignedRequest.Parse(binding);
        if (eab.Algorithm != "HS256") throw AcmeProblemException.Malformed("the External Account Binding is signed with HS256");
        if (eab.Url != url) throw AcmeProblemException.Malformed("the External Account Binding's url is not the newAccount URL");
        if (eab.Nonce is not null) throw AcmeProblemException.Malformed("the External Account Binding carries no nonce");
        var keyId = eab.Kid ?? throw AcmeProblemException.Malformed("the External Account Binding has no kid");
        if (!AcmeServerStore.EabKeys(_store.Directory).Keys.TryGetValue(keyId, out var macKey))
            throw AcmeProblemException.Unauthorized($"no External Account Binding key {PeerText.Clip(keyId, 64)}");
        var mac = HMACSHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(macKey), eab.SigningInput);
        if (!CryptographicOperations.FixedTimeEquals(mac, eab.Signature))
            throw AcmeProblemException.Unauthorized("the External Account Binding's MAC does not verify");
        using (var bound = eab.PayloadJson())
            if (AccountKey.FromJwk(bound.RootElement).Thumbprint != key.Thumbprint)
                throw AcmeProblemException.Malformed("the External Account Binding binds another key than the account's");
        if (_store.EabKeyUsed(keyId)) throw AcmeProblemException.Unauthorized($"the External Account Binding key {PeerText.Clip(keyId, 64)} is bound to another account");
        return keyId;
    }

    /// <summary>Contact URLs (§7.3): at most 10, each a mailto: URL with one address (Boulder's rule; other schemes are unsupportedContact).</summary>
    private static List<string> Contacts(JsonElement request)
    {
        var contact = new List<string>();
        if (!request.TryGetProperty("contact", out var list) || list.ValueKind == JsonValueKind.Null) return contact;
        if (list.ValueKind != JsonValueKind.Array) throw AcmeProblemException.Malformed("contact is an array of URLs");
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw AcmeProblemException.Malformed("contact is an array of URLs");
            var url = item.GetString()!;
            if (!url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                throw new AcmeProblemException("unsupportedContact", 400, $"only mailto: contacts are accepted, not {PeerText.Clip(url, 60)}");
            var address = url[7..];
            if (address.Length is 0 or > 254 || address.Contains(',') || !address.Contains('@') || address.Any(c => c <= ' ' || c > '~'))
                throw new AcmeProblemException("invalidContact", 400, $"{PeerText.Clip(url, 60)} is not one email address");
            contact.Add(url);
        }
        if (contact.Count > 10) throw new AcmeProblemException("invalidContact", 400, "at most 10 contacts");
        return contact;
    }

    private Uri AccountUrl(AccountRecord account) => Url("/acme/acct/" + account.Id);

    private byte[] AccountJson(AccountRecord account) => ResourceWriter.Write(w =>
    {
        w.WriteString("status", account.Status);
        w.WriteStartArray("contact");
        foreach (var c in account.Contact) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteString("orders", Url($"/acme/acct/{account.Id}/orders").AbsoluteUri);
        ResourceWriter.Time(w, "createdAt", account.Created);
    });
}
