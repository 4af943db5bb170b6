using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Diagnostics;
using Tessera.Pki;

namespace Tessera.Acme.Server;

public sealed partial class AcmeServer
{
    /// <summary>The revocation reasons a subscriber may give (RFC 5280 §5.3.1 as the CA/Browser Forum allows them): unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation.</summary>
    private static readonly int[] AllowedReasons = [0, 1, 3, 4, 5];

    /// <summary>Certificate download (§7.4.2): the leaf and the intermediate as application/pem-certificate-chain, to the account that ordered it.</summary>
    private async Task CertificateAsync(HttpContext context, string serial)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, _) = Authenticate(signed);
        if (!signed.IsPostAsGet) throw AcmeProblemException.Malformed("a certificate is fetched with POST-as-GET");
        CertificateRecord certificate;
        lock (_store.Gate)
        {
            certificate = _store.Certificate(serial) ?? throw AcmeProblemException.NotFound("no such certificate");
            if (certificate.AccountId != account!.Id) throw AcmeProblemException.Unauthorized("the certificate belongs to another account");
        }
        var body = Encoding.ASCII.GetBytes(certificate.ChainPem);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/pem-certificate-chain";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// revokeCert (§7.6): signed by the account that ordered the certificate, or with the certificate's own key as a
    /// jwk; the certificate must be one this server issued, byte for byte; the reason one a subscriber may give. The
    /// serial goes into the CA's revocation list, and a new CRL is signed at once.
    /// </summary>
    private async Task RevokeAsync(HttpContext context)
    {
        var signed = await ReadSignedAsync(context).ConfigureAwait(false);
        var (account, key) = Authenticate(signed, jwkAllowed: true);
        using var payload = signed.PayloadJson();
        var root = payload.RootElement;
        if (!root.TryGetProperty("certificate", out var text) || text.ValueKind != JsonValueKind.String)
            throw AcmeProblemException.Malformed("revocation needs the certificate");
        int? reason = null;
        if (root.TryGetProperty("reason", out var r))
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out var code) || Array.IndexOf(AllowedReasons, code) < 0)
                throw new AcmeProblemException("badRevocationReason", 400, $"the reason {PeerText.Clip(r.ToString(), 10)} is not one a subscriber may give (0, 1, 3, 4 or 5)");
            reason = code;
        }
        X509Certificate2 presented;
        try
        {
            presented = X509CertificateLoader.LoadCertificate(System.Buffers.Text.Base64Url.DecodeFromChars(text.GetString()!));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw AcmeProblemException.Malformed("the certificate to revoke is not a base64url DER certificate");
        }
        using (presented)
        {
            CertificateRecord certificate;
            lock (_store.Gate)
            {
                certificate = _store.Certificate(presented.SerialNumber.ToLowerInvariant()) ?? throw AcmeProblemException.NotFound("this CA did not issue that certificate");
                using (var issued = X509Certificate2.CreateFromPem(certificate.ChainPem))
                    if (!issued.RawData.AsSpan().SequenceEqual(presented.RawData)) throw AcmeProblemException.NotFound("this CA did not issue that certificate");
                var allowed = account is not null ? certificate.AccountId == account.Id : key.Matches(presented);
                if (!allowed)
                    throw AcmeProblemException.Unauthorized(account is not null ? "the certificate was ordered by another account" : "the request is not signed by the certificate's key");
                if (certificate.Revoked is not null) throw new AcmeProblemException("alreadyRevoked", 400, $"the certificate {certificate.Serial} is already revoked");
                try
                {
                    _options.Ca.Revoke(certificate.Serial, reason);
                    _options.Ca.WriteCrl(CrlDays);
                }
                catch (PkiException e)
                {
                    throw new AcmeProblemException("serverInternal", 500, $"the CA could not record the revocation: {e.Message}");
                }
                certificate.Revoked = Now;
                certificate.RevocationReason = reason;
                _store.Save(certificate);
            }
            Log($"revoked {certificate.Serial} (reason {reason ?? 0}) {(account is null ? "with the certificate's key" : "by account " + account.Id)}");
        }
        context.Response.StatusCode = 200;
    }

    /// <summary>How long a CRL is valid; the served one is signed again once it is a day old.</summary>
    private const int CrlDays = 7;

    /// <summary>The CA's CRL as DER (application/pkix-crl, RFC 5280 §4.2.1.13's distribution point), signed again when a day old or missing.</summary>
    private async Task CrlAsync(HttpContext context)
    {
        byte[] der;
        lock (_store.Gate)
        {
            var file = _options.Ca.CrlFile;
            if (!File.Exists(file) || File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddDays(-1)) _options.Ca.WriteCrl(CrlDays);
            var pem = File.ReadAllText(file);
            var found = PemEncoding.Find(pem);
            der = Convert.FromBase64String(pem[found.Base64Data]);
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/pkix-crl";
        context.Response.ContentLength = der.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(der, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// renewalInfo (RFC 9773 §4.2), an unauthenticated GET by certificate identifier: the window the operator set
    /// (<c>tessera ca ari advance</c>), else for a revoked certificate a window that has passed (renew now), else the
    /// middle of the last third of the lifetime: from two thirds to three quarters. Retry-After asks clients to look
    /// again after <see cref="AcmeServerOptions.RenewalInfoRetryAfter"/> (§4.3).
    /// </summary>
    private async Task RenewalInfoAsync(HttpContext context, string id)
    {
        CertificateRecord certificate;
        lock (_store.Gate)
            certificate = _store.Certificates.FirstOrDefault(c => c.AriId == id) ?? throw AcmeProblemException.NotFound("this CA issued no certificate with that identifier");
        var (start, end) = RenewalWindow(certificate);
        context.Response.Headers.RetryAfter = ((long)Math.Max(1, _options.RenewalInfoRetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await JsonAsync(context, 200, ResourceWriter.Write(w =>
        {
            w.WriteStartObject("suggestedWindow");
            ResourceWriter.Time(w, "start", start);
            ResourceWriter.Time(w, "end", end);
            w.WriteEndObject();
        })).ConfigureAwait(false);
    }

    private (DateTimeOffset Start, DateTimeOffset End) RenewalWindow(CertificateRecord certificate)
    {
        if (_store.RenewalWindow(certificate.Serial) is { } set) return (set.Start, set.End);
        if (certificate.Revoked is { } revoked) return (revoked - TimeSpan.FromHours(1), revoked);
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        return (certificate.NotBefore + lifetime * 2 / 3, certificate.NotBefore + lifetime * 3 / 4);
    }
}
