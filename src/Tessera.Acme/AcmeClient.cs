using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Connection;
using Tessera.Http;
using Tessera.Pki;

namespace Tessera.Acme;

/// <summary>
/// An ACME client (RFC 8555) for one CA directory and one account key: accounts, and certificates for DNS names and
/// IP addresses (RFC 8738) through a challenge solver. HTTP goes through <see cref="HttpClient"/> over Tessera's own
/// TLS unless the caller hands one in; JSON through System.Text.Json source generation.
/// </summary>
public sealed class AcmeClient : IDisposable
{
    private readonly AcmeTransport _transport;
    private readonly HttpClient? _ownedHttp;
    private readonly AcmeClientOptions _options;

    /// <summary>A client for the directory at <paramref name="directory"/> (https), signing with <paramref name="accountKey"/>.</summary>
    /// <exception cref="AcmeException">The directory URL is not https.</exception>
    public AcmeClient(Uri directory, AcmeAccountKey accountKey, AcmeClientOptions? options = null)
    {
        if (!directory.IsAbsoluteUri || directory.Scheme != Uri.UriSchemeHttps)
            throw new AcmeException(AcmeFailure.Configuration, $"the ACME directory must be an https URL, not {directory}");
        _options = options ?? new AcmeClientOptions();
        AccountKey = accountKey;
        var http = _options.Http;
        if (http is null)
        {
            var tls = new TlsClientOptions();
            if (_options.Trust is { } trust) tls = tls with { TrustStore = trust };
            http = _ownedHttp = new HttpClient(new TesseraHttpHandler(tls) { AllowAutoRedirect = false })
            {
                Timeout = TimeSpan.FromSeconds(30),
                MaxResponseContentBufferSize = AcmeTransport.MaxBody,
            };
            http.DefaultRequestHeaders.UserAgent.ParseAdd($"Tessera.Acme/{typeof(AcmeClient).Assembly.GetName().Version?.ToString(3) ?? "0"}");
        }
        _transport = new AcmeTransport(http, directory, _options.Clock);
    }

    /// <summary>How many requests were sent again because the server refused their nonce (§6.5).</summary>
    public int BadNonceRetries => _transport.BadNonceRetries;

    /// <summary>The account key requests are signed with (the new one after <see cref="RolloverKeyAsync"/>).</summary>
    public AcmeAccountKey AccountKey { get; private set; }

    /// <summary>The account URL once an account was created or found (every later request is signed with it as <c>kid</c>).</summary>
    public Uri? AccountUrl { get; private set; }

    /// <summary>The CA's terms of service URL, if its directory names one.</summary>
    public async Task<Uri?> TermsOfServiceAsync(CancellationToken cancellationToken = default) =>
        (await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false)).Meta?.TermsOfService is { } tos && Uri.TryCreate(tos, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// Creates the account for this key (§7.3), or finds it if the key has one. <paramref name="agreeToTerms"/> says the
    /// operator agreed to the CA's terms of service; <paramref name="binding"/> is required by CAs that say so.
    /// </summary>
    public async Task<AcmeAccount> CreateAccountAsync(IReadOnlyList<string> contact, bool agreeToTerms, ExternalAccountBinding? binding = null,
        CancellationToken cancellationToken = default)
    {
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (directory.Meta?.ExternalAccountRequired == true && binding is null)
            throw new AcmeException(AcmeFailure.Configuration, "this CA requires External Account Binding: give the key ID and HMAC key it issued (--eab-kid, --eab-hmac)");
        var newAccount = Url(directory.NewAccount, "newAccount");
        var request = new NewAccountRequest
        {
            TermsOfServiceAgreed = agreeToTerms ? true : null,
            Contact = contact.Count > 0 ? [.. contact] : null,
            ExternalAccountBinding = binding is null ? null : Jws.ExternalAccountBinding(AccountKey, binding.KeyId, binding.HmacKey, newAccount),
        };
        var response = await _transport.PostAsync(newAccount, JsonSerializer.SerializeToUtf8Bytes(request, AcmeJsonContext.Default.NewAccountRequest),
            AccountKey, kid: null, cancellationToken).ConfigureAwait(false);
        return Account(response);
    }

    /// <summary>Finds the account of this key without creating one (§7.3.1 onlyReturnExisting).</summary>
    /// <exception cref="AcmeException">No account exists for the key (accountDoesNotExist).</exception>
    public async Task<AcmeAccount> FindAccountAsync(CancellationToken cancellationToken = default)
    {
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        var request = new NewAccountRequest { OnlyReturnExisting = true };
        var response = await _transport.PostAsync(Url(directory.NewAccount, "newAccount"), JsonSerializer.SerializeToUtf8Bytes(request, AcmeJsonContext.Default.NewAccountRequest),
            AccountKey, kid: null, cancellationToken).ConfigureAwait(false);
        return Account(response);
    }

    /// <summary>Replaces the account's contact URLs (§7.3.2).</summary>
    public async Task<AcmeAccount> UpdateContactAsync(IReadOnlyList<string> contact, CancellationToken cancellationToken = default)
    {
        var kid = AccountUrl ?? throw NoAccount();
        var response = await _transport.PostAsync(kid, JsonSerializer.SerializeToUtf8Bytes(new AccountUpdateRequest { Contact = [.. contact] }, AcmeJsonContext.Default.AccountUpdateRequest),
            AccountKey, kid, cancellationToken).ConfigureAwait(false);
        return AccountAt(response, kid);
    }

    /// <summary>Deactivates the account (§7.3.6): the CA refuses its key from now on; certificates already issued stay valid.</summary>
    public async Task<AcmeAccount> DeactivateAsync(CancellationToken cancellationToken = default)
    {
        var kid = AccountUrl ?? throw NoAccount();
        var response = await _transport.PostAsync(kid, JsonSerializer.SerializeToUtf8Bytes(new AccountUpdateRequest { Status = "deactivated" }, AcmeJsonContext.Default.AccountUpdateRequest),
            AccountKey, kid, cancellationToken).ConfigureAwait(false);
        return AccountAt(response, kid);
    }

    /// <summary>
    /// Moves the account to <paramref name="newKey"/> (§7.3.5): an inner JWS signed by the new key, naming the account and
    /// the old key, inside a request signed by the old key. From then on the client signs with the new key; the old
    /// one no longer works at the CA (the caller may dispose it).
    /// </summary>
    public async Task RolloverKeyAsync(AcmeAccountKey newKey, CancellationToken cancellationToken = default)
    {
        var kid = AccountUrl ?? throw NoAccount();
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        var keyChange = Url(directory.KeyChange, "keyChange");
        var inner = Jws.KeyChange(newKey, AccountKey, kid, keyChange);
        await _transport.PostAsync(keyChange, JsonSerializer.SerializeToUtf8Bytes(inner, AcmeJsonContext.Default.FlattenedJws), AccountKey, kid, cancellationToken).ConfigureAwait(false);
        AccountKey = newKey;
    }

    /// <summary>
    /// Revokes <paramref name="certificate"/> (§7.6) with this account's key (the account that ordered it, or one
    /// authorized for all its names), giving <paramref name="reason"/> (an RFC 5280 CRLReason code, or null).
    /// </summary>
    public async Task RevokeAsync(X509Certificate2 certificate, int? reason = null, CancellationToken cancellationToken = default)
    {
        var kid = AccountUrl ?? throw NoAccount();
        await RevokeAsync(certificate, reason, AccountKey, kid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes <paramref name="certificate"/> by proving possession of its own key (§7.6: a JWS with that key's JWK),
    /// for when the account is lost but the certificate's key is not (ECDSA P-256/P-384 and RSA keys).
    /// </summary>
    public async Task RevokeWithCertificateKeyAsync(X509Certificate2 certificate, CaKey certificateKey, int? reason = null, CancellationToken cancellationToken = default)
    {
        using var key = AcmeAccountKey.FromPem(certificateKey.ExportPem());
        await RevokeAsync(certificate, reason, key, kid: null, cancellationToken).ConfigureAwait(false);
    }

    private async Task RevokeAsync(X509Certificate2 certificate, int? reason, AcmeAccountKey key, Uri? kid, CancellationToken cancellationToken)
    {
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        var request = new RevocationRequest { Certificate = Base64Url.Encode(certificate.RawData), Reason = reason };
        await _transport.PostAsync(Url(directory.RevokeCert, "revokeCert"), JsonSerializer.SerializeToUtf8Bytes(request, AcmeJsonContext.Default.RevocationRequest),
            key, kid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The CA's suggested renewal window for <paramref name="certificate"/> (RFC 9773), or null when the CA offers no
    /// renewalInfo or cannot name the certificate; decide with <see cref="RenewalPolicy.Decide"/>.
    /// </summary>
    public async Task<RenewalWindow?> GetRenewalWindowAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (directory.RenewalInfo is null || AriCertificateId.Of(certificate) is not { } id) return null;
        var url = new Uri(Url(directory.RenewalInfo, "renewalInfo").AbsoluteUri.TrimEnd('/') + "/" + id);
        var response = await _transport.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (response.Status != HttpStatusCode.OK) return null;   // e.g. 404 for a certificate the CA no longer tracks: fall back
        var info = AcmeTransport.Parse(response, AcmeJsonContext.Default.RenewalInfoDocument, "the renewalInfo resource");
        if (info.SuggestedWindow is not { Start: { } start, End: { } end } || end <= start)
            throw new AcmeException(AcmeFailure.Protocol, "the renewalInfo resource has no usable suggestedWindow");
        Uri? explanation = info.ExplanationUrl is { } e && Uri.TryCreate(e, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps ? u : null;
        return new RenewalWindow(start, end, explanation, response.RetryAfter);
    }

    private static AcmeException NoAccount() => new(AcmeFailure.Configuration, "create or find the account first");

    private static AcmeAccount AccountAt(AcmeResponse response, Uri url)
    {
        var document = AcmeTransport.Parse(response, AcmeJsonContext.Default.AcmeAccountDocument, "the account resource");
        return new AcmeAccount(url, document.Status ?? "valid", document.Contact ?? []);
    }

    private AcmeAccount Account(AcmeResponse response)
    {
        var document = AcmeTransport.Parse(response, AcmeJsonContext.Default.AcmeAccountDocument, "the account resource");
        AccountUrl = response.Location ?? throw new AcmeException(AcmeFailure.Protocol, "the CA created or found the account but gave no Location for it");
        return new AcmeAccount(AccountUrl, document.Status ?? "valid", document.Contact ?? []);
    }

    /// <summary>
    /// Orders a certificate for <paramref name="names"/> (DNS names, IP addresses), answers each pending authorization
    /// with <paramref name="solver"/>, finalizes with a CSR signed by <paramref name="certificateKey"/>, and downloads
    /// the chain. The certificate is checked before it is returned: it names exactly the identifiers ordered and
    /// carries <paramref name="certificateKey"/>.
    /// </summary>
    /// <param name="names">The DNS names and IP addresses.</param>
    /// <param name="solver">Answers the challenges.</param>
    /// <param name="certificateKey">The new certificate's key.</param>
    /// <param name="replaces">The certificate this one renews: named in the order's <c>replaces</c> (RFC 9773 §5) when the CA offers ARI.</param>
    /// <param name="cancellationToken">Cancels the whole order.</param>
    /// <param name="profile">
    /// The certificate profile to order (the ACME profiles extension, e.g. Let's Encrypt's "classic" or "shortlived"),
    /// which must be one the directory lists; null: the CA's default.
    /// </param>
    public async Task<AcmeCertificate> IssueAsync(IReadOnlyList<string> names, IAcmeChallengeSolver solver, CaKey certificateKey,
        X509Certificate2? replaces = null, CancellationToken cancellationToken = default, string? profile = null)
    {
        var kid = AccountUrl ?? throw NoAccount();
        var identifiers = AcmeIdentifiers.From(names);
        var directory = await _transport.DirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (profile is not null && directory.Meta?.Profiles?.ContainsKey(profile) != true)
            throw new AcmeException(AcmeFailure.Configuration, directory.Meta?.Profiles is { Count: > 0 } offered
                ? $"the CA offers no profile '{UntrustedText.Clean(profile, 40)}'; it offers {UntrustedText.Clean(string.Join(", ", offered.Keys), 200)}"
                : "the CA offers no certificate profiles (its directory lists none)");
        var orderResponse = await _transport.PostAsync(Url(directory.NewOrder, "newOrder"),
            JsonSerializer.SerializeToUtf8Bytes(new NewOrderRequest
            {
                Identifiers = identifiers,
                Replaces = replaces is not null && directory.RenewalInfo is not null ? AriCertificateId.Of(replaces) : null,
                Profile = profile,
            }, AcmeJsonContext.Default.NewOrderRequest),
            AccountKey, kid, cancellationToken).ConfigureAwait(false);
        var orderUrl = orderResponse.Location ?? throw new AcmeException(AcmeFailure.Protocol, "the CA created the order but gave no Location for it");
        var order = AcmeTransport.Parse(orderResponse, AcmeJsonContext.Default.AcmeOrderDocument, "the new order");
        Tell($"ordered {string.Join(", ", names)} ({order.Authorizations?.Count ?? 0} authorizations)");

        var deadline = _options.Clock.GetUtcNow() + _options.ValidationTimeout;
        foreach (var authorization in order.Authorizations ?? [])
            await AuthorizeAsync(Url(authorization, "authorization"), solver, kid, deadline, cancellationToken).ConfigureAwait(false);

        order = await PollOrderAsync(orderUrl, kid, "ready", deadline, cancellationToken).ConfigureAwait(false);
        Tell("finalizing with a new certificate request");
        var csr = certificateKey.CreateSigningRequest(names);
        var finalized = await _transport.PostAsync(Url(order.Finalize, "finalize"),
            JsonSerializer.SerializeToUtf8Bytes(new FinalizeRequest { Csr = Base64Url.Encode(csr) }, AcmeJsonContext.Default.FinalizeRequest),
            AccountKey, kid, cancellationToken).ConfigureAwait(false);
        order = AcmeTransport.Parse(finalized, AcmeJsonContext.Default.AcmeOrderDocument, "the finalized order");
        if (order.Status != "valid")
            order = await PollOrderAsync(orderUrl, kid, "valid", deadline, cancellationToken, finalized.RetryAfter).ConfigureAwait(false);

        var certificateUrl = Url(order.Certificate, "certificate");
        var download = await _transport.PostAsync(certificateUrl, null, AccountKey, kid, cancellationToken, "application/pem-certificate-chain").ConfigureAwait(false);
        var certificate = IssuedChain.Check(download, certificateUrl, identifiers, certificateKey);
        Tell($"downloaded the certificate and its chain ({certificate.AlternateChains.Count} alternate chains offered)");
        return certificate;
    }

    /// <summary>
    /// One of <paramref name="issued"/>'s alternate chains (§7.4.2, <see cref="AcmeCertificate.AlternateChains"/>): the
    /// same leaf under another intermediate or root, for clients that trust another root. Checked as the first chain
    /// was, against <paramref name="certificateKey"/> and the leaf's names.
    /// </summary>
    public async Task<AcmeCertificate> DownloadAlternateChainAsync(AcmeCertificate issued, Uri alternate, CaKey certificateKey, CancellationToken cancellationToken = default)
    {
        var kid = AccountUrl ?? throw NoAccount();
        var names = new List<string>();
        foreach (var extension in issued.Leaf.Extensions)
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                foreach (var ip in san.EnumerateIPAddresses()) names.Add(ip.ToString());
            }
        var download = await _transport.PostAsync(alternate, null, AccountKey, kid, cancellationToken, "application/pem-certificate-chain").ConfigureAwait(false);
        var chain = IssuedChain.Check(download, alternate, AcmeIdentifiers.From(names), certificateKey);
        if (!chain.Leaf.RawData.AsSpan().SequenceEqual(issued.Leaf.RawData))
            throw new AcmeException(AcmeFailure.Protocol, $"the alternate chain at {alternate} starts with another certificate than the one issued; it is not used");
        return chain;
    }

    private async Task AuthorizeAsync(Uri url, IAcmeChallengeSolver solver, Uri kid, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var authorization = await GetAsync(url, AcmeJsonContext.Default.AcmeAuthorizationDocument, "an authorization", kid, cancellationToken).ConfigureAwait(false);
        var identifier = authorization.Document.Identifier ?? throw new AcmeException(AcmeFailure.Protocol, "an authorization without an identifier");
        var name = UntrustedText.Clean(identifier.Value, 100);
        if (authorization.Document.Status == "valid")
        {
            Tell($"{name} was already authorized");
            return;   // authorized earlier (the CA reuses valid authorizations)
        }
        if (authorization.Document.Status != "pending")
            throw new AcmeException(AcmeFailure.Validation, $"the authorization for {name} is {UntrustedText.Clean(authorization.Document.Status, 40)}, so no certificate can be ordered for it now");
        var challenge = (authorization.Document.Challenges ?? []).Find(c => c.Type == solver.ChallengeType);
        if (challenge is null)
        {
            var offered = string.Join(", ", (authorization.Document.Challenges ?? []).ConvertAll(c => UntrustedText.Clean(c.Type, 40)));
            throw new AcmeException(AcmeFailure.Validation, $"the CA offers no {solver.ChallengeType} challenge for {name} (it offers {(offered.Length > 0 ? offered : "none")})");
        }
        if (challenge.Token is not { } token || !IsBase64Url(token))
            throw new AcmeException(AcmeFailure.Protocol, $"the {solver.ChallengeType} challenge for {name} has no usable token");
        var context = new AcmeChallengeContext(identifier.Type, identifier.Value, token, token + "." + AccountKey.Thumbprint());
        Tell($"answering {solver.ChallengeType} for {name}");
        await solver.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
        try
        {
            // §7.5.1: an empty JSON object tells the server the response is in place.
            var answered = await _transport.PostAsync(Url(challenge.Url, "challenge"), "{}"u8.ToArray(), AccountKey, kid, cancellationToken).ConfigureAwait(false);
            var retryAfter = answered.RetryAfter;
            while (true)
            {
                await WaitAsync(retryAfter, deadline, $"{solver.ChallengeType} validation of {name}", cancellationToken).ConfigureAwait(false);
                (var document, retryAfter) = await GetAsync(url, AcmeJsonContext.Default.AcmeAuthorizationDocument, "an authorization", kid, cancellationToken).ConfigureAwait(false);
                if (document.Status == "valid")
                {
                    Tell($"{name} validated");
                    return;
                }
                if (document.Status is "pending" or "processing") continue;
                var failed = (document.Challenges ?? []).Find(c => c.Type == solver.ChallengeType)?.Error;
                throw new AcmeException(AcmeFailure.Validation, failed is null
                    ? $"{solver.ChallengeType} validation of {name} failed (the authorization is {UntrustedText.Clean(document.Status, 40)})"
                    : $"{solver.ChallengeType} validation of {name} failed: {AcmeProblems.Sentence(failed)}");
            }
        }
        finally
        {
            await solver.CleanupAsync(context, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<AcmeOrderDocument> PollOrderAsync(Uri orderUrl, Uri kid, string want, DateTimeOffset deadline, CancellationToken cancellationToken, DateTimeOffset? retryAfter = null)
    {
        var first = true;
        while (true)
        {
            // After finalize the server may already have said when to look (§7.4); otherwise the first look is at once.
            if (!first || retryAfter is not null) await WaitAsync(retryAfter, deadline, want == "ready" ? "the order to become ready" : "the certificate to be issued", cancellationToken).ConfigureAwait(false);
            first = false;
            (var order, retryAfter) = await GetAsync(orderUrl, AcmeJsonContext.Default.AcmeOrderDocument, "the order", kid, cancellationToken).ConfigureAwait(false);
            if (order.Status == want || order.Status == "valid") return order;
            if (order.Status == "invalid")
                throw new AcmeException(AcmeFailure.Validation, order.Error is { } e ? $"the order became invalid: {AcmeProblems.Sentence(e)}" : "the order became invalid");
            if (order.Status is not ("pending" or "ready" or "processing"))
                throw new AcmeException(AcmeFailure.Protocol, $"the order's status is '{UntrustedText.Clean(order.Status, 40)}', which ACME does not define");
        }
    }

    private async Task<(T Document, DateTimeOffset? RetryAfter)> GetAsync<T>(Uri url, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, Uri kid, CancellationToken cancellationToken)
    {
        var response = await _transport.PostAsync(url, null, AccountKey, kid, cancellationToken).ConfigureAwait(false);
        return (AcmeTransport.Parse(response, type, what), response.RetryAfter);
    }

    /// <summary>Waits before the next poll: the server's Retry-After (capped), or the poll interval; never past the deadline.</summary>
    private async Task WaitAsync(DateTimeOffset? retryAfter, DateTimeOffset deadline, string what, CancellationToken cancellationToken)
    {
        var now = _options.Clock.GetUtcNow();
        if (now >= deadline)
            throw new AcmeException(AcmeFailure.Timeout, $"gave up waiting for {what} after {_options.ValidationTimeout.TotalSeconds:0} s");
        var wait = retryAfter is { } at ? at - now : _options.PollInterval;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        if (wait > _options.MaxPollInterval) wait = _options.MaxPollInterval;
        if (now + wait > deadline) wait = deadline - now;
        await Task.Delay(wait, _options.Clock, cancellationToken).ConfigureAwait(false);
    }

    private void Tell(string step) => _options.Progress?.Invoke(step);

    private static Uri Url(string? value, string what) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new AcmeException(AcmeFailure.Protocol, $"the CA gave no https URL for the {what} ({UntrustedText.Clean(value ?? "none", 120)})");

    private static bool IsBase64Url(string token)
    {
        if (token.Length is 0 or > 256) return false;
        foreach (var c in token)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }

    /// <summary>Disposes the HttpClient the client made (not one the caller gave).</summary>
    public void Dispose() => _ownedHttp?.Dispose();
}
