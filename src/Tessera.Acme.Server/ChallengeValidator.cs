using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DnsClient;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Diagnostics;

namespace Tessera.Acme.Server;

/// <summary>
/// Performs the three validations (RFC 8555 §8.3 and §8.4, RFC 8737, RFC 8738): http-01 as an HTTP GET of the token's
/// path on <see cref="AcmeServerOptions.HttpPort"/> (no redirects followed, at most 8 KiB read), tls-alpn-01 as a
/// Tessera handshake on <see cref="AcmeServerOptions.TlsPort"/> offering only <c>acme-tls/1</c> and checking the
/// certificate's one subjectAltName and critical acmeIdentifier extension, dns-01 as a TXT lookup of
/// <c>_acme-challenge.NAME</c> through the configured resolver (DnsClient). Names resolve through the hosts map first,
/// then the resolver. A failure is an <see cref="AcmeProblemException"/> whose type says what went wrong
/// (connection, dns, tls, incorrectResponse, unauthorized); peer text in it is clipped and escaped.
/// </summary>
internal sealed class ChallengeValidator(AcmeServerOptions options)
{
    private const int MaxHttpBody = 8192;
    private readonly LookupClient? _dns = options.DnsResolver is { } resolver
        ? new LookupClient(new LookupClientOptions(resolver) { UseCache = false, Timeout = TimeSpan.FromSeconds(3), Retries = 1, ThrowDnsErrors = false })
        : null;

    public bool Dns01Available => _dns is not null;

    public async Task ValidateAsync(string type, IdentifierRecord identifier, string token, string thumbprint, CancellationToken cancellationToken)
    {
        var keyAuthorization = token + "." + thumbprint;
        switch (type)
        {
            case "http-01": await Http01Async(identifier, token, keyAuthorization, cancellationToken).ConfigureAwait(false); break;
            case "tls-alpn-01": await TlsAlpn01Async(identifier, keyAuthorization, cancellationToken).ConfigureAwait(false); break;
            case "dns-01": await Dns01Async(identifier, keyAuthorization, cancellationToken).ConfigureAwait(false); break;
            default: throw AcmeProblemException.Malformed($"unknown challenge type {PeerText.Clip(type, 30)}");
        }
    }

    private async Task Http01Async(IdentifierRecord identifier, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var address = await ResolveAsync(identifier, cancellationToken).ConfigureAwait(false);
        var host = identifier.Type == "ip" && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{identifier.Value}]" : identifier.Value;
        var url = new Uri($"http://{host}:{options.HttpPort}/.well-known/acme-challenge/{token}");
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.ValidationTimeout,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, options.HttpPort), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { Timeout = options.ValidationTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Tessera-ACME-validation/1");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException or IOException)
        {
            throw new AcmeProblemException("connection", 400, $"http-01: fetching {url} from {address}: {PeerText.Clip(e.Message, 200)}");
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new AcmeProblemException("unauthorized", 403, $"http-01: {url} answered {(int)response.StatusCode}, not 200 (redirects are not followed)");
            var buffer = new byte[MaxHttpBody];
            var length = 0;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                int read;
                while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0) length += read;
            }
            // §8.3: the body is the key authorization; trailing whitespace is tolerated (a file written with a newline).
            var text = Encoding.ASCII.GetString(buffer, 0, length).TrimEnd(' ', '\t', '\r', '\n');
            if (!FixedTimeEquals(text, keyAuthorization))
                throw new AcmeProblemException("incorrectResponse", 403, $"http-01: {url} answered \"{PeerText.Clip(text, 100)}\", not the key authorization");
        }
    }

    private async Task TlsAlpn01Async(IdentifierRecord identifier, string keyAuthorization, CancellationToken cancellationToken)
    {
        var address = await ResolveAsync(identifier, cancellationToken).ConfigureAwait(false);
        var capture = new CapturingVerifier();
        var client = new TlsClientOptions
        {
            ApplicationProtocols = [Acme.TlsAlpn01Certificate.Protocol],
            CertificateVerifier = capture,
            SessionStore = null,
            RequestOcspStapling = false,
            RequestTls12SessionTickets = false,
        };
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ValidationTimeout);
        var serverName = Acme.TlsAlpn01Certificate.ServerNameFor(identifier.Value);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, options.TlsPort), deadline.Token).ConfigureAwait(false);
            await using var tls = new TlsStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(client, serverName, deadline.Token).ConfigureAwait(false);
            if (tls.Connection.ApplicationProtocol != Acme.TlsAlpn01Certificate.Protocol)
                throw new AcmeProblemException("tls", 400, $"tls-alpn-01: {address}:{options.TlsPort} did not negotiate acme-tls/1");
        }
        catch (Exception e) when (e is TlsException or SocketException or IOException or OperationCanceledException)
        {
            throw new AcmeProblemException(e is TlsException ? "tls" : "connection", 400,
                $"tls-alpn-01: handshake with {address}:{options.TlsPort} for {serverName}: {PeerText.Clip(e.Message, 200)}");
        }
        var leaf = capture.Leaf ?? throw new AcmeProblemException("tls", 400, "tls-alpn-01: the server sent no certificate");
        using (leaf) CheckValidationCertificate(leaf, identifier, keyAuthorization);
    }

    /// <summary>RFC 8737 §3: exactly one subjectAltName, the identifier; the acmeIdentifier extension critical and equal to SHA-256 of the key authorization.</summary>
    internal static void CheckValidationCertificate(X509Certificate2 leaf, IdentifierRecord identifier, string keyAuthorization)
    {
        var names = new List<string>();
        X509Extension? acme = null;
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                foreach (var ip in san.EnumerateIPAddresses()) names.Add(ip.ToString());
            }
            else if (extension.Oid?.Value == Acme.TlsAlpn01Certificate.AcmeIdentifierOid) acme = extension;
        }
        if (names.Count != 1 || !string.Equals(names[0], identifier.Value, StringComparison.OrdinalIgnoreCase))
            throw new AcmeProblemException("unauthorized", 403, $"tls-alpn-01: the certificate names {PeerText.Clip(string.Join(", ", names), 200)}, not exactly {identifier.Value}");
        if (acme is null) throw new AcmeProblemException("unauthorized", 403, "tls-alpn-01: the certificate has no acmeIdentifier extension");
        if (!acme.Critical) throw new AcmeProblemException("unauthorized", 403, "tls-alpn-01: the acmeIdentifier extension is not critical");
        byte[] digest;
        try
        {
            var reader = new AsnReader(acme.RawData, AsnEncodingRules.DER);
            digest = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            throw new AcmeProblemException("unauthorized", 403, "tls-alpn-01: the acmeIdentifier extension is not one OCTET STRING");
        }
        if (!CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization))))
            throw new AcmeProblemException("incorrectResponse", 403, "tls-alpn-01: the acmeIdentifier extension does not hold this challenge's key authorization digest");
    }

    private async Task Dns01Async(IdentifierRecord identifier, string keyAuthorization, CancellationToken cancellationToken)
    {
        if (_dns is null) throw new AcmeProblemException("dns", 400, "dns-01: the server has no validation resolver");
        var name = "_acme-challenge." + identifier.Value;
        var expected = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            throw new AcmeProblemException("dns", 400, $"dns-01: looking up TXT {name}: {PeerText.Clip(e.Message, 200)}");
        }
        if (response.HasError) throw new AcmeProblemException("dns", 400, $"dns-01: looking up TXT {name}: {PeerText.Clip(response.ErrorMessage, 200)}");
        var seen = new List<string>();
        foreach (var record in response.Answers.TxtRecords())
        {
            var text = string.Concat(record.Text);
            if (FixedTimeEquals(text, expected)) return;
            seen.Add(text);
        }
        throw new AcmeProblemException("unauthorized", 403, seen.Count == 0
            ? $"dns-01: no TXT record at {name}"
            : $"dns-01: the TXT records at {name} ({PeerText.Clip(string.Join(", ", seen), 200)}) do not hold this challenge's digest");
    }

    private async Task<IPAddress> ResolveAsync(IdentifierRecord identifier, CancellationToken cancellationToken)
    {
        if (identifier.Type == "ip") return IPAddress.Parse(identifier.Value);
        if (options.Hosts.TryGetValue(identifier.Value, out var mapped)) return mapped;
        if (_dns is not null)
        {
            foreach (var type in new[] { QueryType.A, QueryType.AAAA })
            {
                IDnsQueryResponse response;
                try
                {
                    response = await _dns.QueryAsync(identifier.Value, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                }
                catch (DnsResponseException e)
                {
                    throw new AcmeProblemException("dns", 400, $"resolving {identifier.Value}: {PeerText.Clip(e.Message, 200)}");
                }
                foreach (var record in response.Answers.AddressRecords()) return record.Address;
            }
            throw new AcmeProblemException("dns", 400, $"{identifier.Value} has no A or AAAA record at the validation resolver");
        }
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(identifier.Value, cancellationToken).ConfigureAwait(false);
            if (addresses.Length > 0) return addresses[0];
        }
        catch (SocketException)
        {
        }
        throw new AcmeProblemException("dns", 400, $"{identifier.Value} does not resolve");
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>Keeps the leaf and lets the handshake finish: the certificate is self-signed on purpose and judged by <see cref="CheckValidationCertificate"/>.</summary>
    private sealed class CapturingVerifier : ICertificateVerifier
    {
        public X509Certificate2? Leaf { get; private set; }

        public void Verify(CertificateVerificationRequest request)
        {
            if (request.Chain.Count > 0) Leaf = X509CertificateLoader.LoadCertificate(request.Chain[0].RawData);
        }
    }
}
