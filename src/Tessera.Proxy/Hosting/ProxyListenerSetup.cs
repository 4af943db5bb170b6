using Tessera.Connection;

namespace Tessera.Proxy.Hosting;

/// <summary>A listener built from its configuration: the options it runs with and what it was built from.</summary>
/// <param name="Name">The listener's name.</param>
/// <param name="Options">Its options, with each site's certificate loaded and its resumption state attached.</param>
/// <param name="Files">The files it was built from (certificates, keys, client CAs), full paths: a change to one is a reason to reload.</param>
/// <param name="WithoutOcsp">The sites whose OCSP stapling is off.</param>
public sealed record ProxyListenerSetup(string Name, ProxyListenerOptions Options, IReadOnlyList<string> Files, IReadOnlySet<string> WithoutOcsp)
{
    /// <summary>
    /// Checks <paramref name="configuration"/> and builds its listeners (reading the certificate files again), with
    /// resumption state from <paramref name="resumption"/>. This is the one place a configuration is validated, however
    /// it was made; throws <see cref="ProxyHostException"/> with the first problem, naming the setting.
    /// </summary>
    public static IReadOnlyList<ProxyListenerSetup> Build(ProxyConfiguration configuration, ProxyResumption resumption, Acme.ProxyCertificateManager? acme = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(resumption);
        if (configuration.Listeners is not { Count: > 0 })
            throw Invalid(configuration, new ProxySetting(null, null, "Listeners"), "is missing or empty; a proxy needs at least one listener");
        var result = new List<ProxyListenerSetup>(configuration.Listeners.Count);
        var addresses = new Dictionary<System.Net.IPEndPoint, string>();
        foreach (var l in configuration.Listeners)
        {
            var at = new ProxySetting(l.Name, null, "Listen");
            var ip = l.Listen.ListenAddress() ?? throw Invalid(configuration, at, $"needs an IP address, not '{l.Listen.Host}'");
            var address = new System.Net.IPEndPoint(ip, l.Listen.Port);
            if (addresses.TryGetValue(address, out var other)) throw Invalid(configuration, at, $"{address} is already listener '{other}''s");
            addresses[address] = l.Name;
            if (l.Sites is not { Count: > 0 }) throw Invalid(configuration, new ProxySetting(l.Name, null, "Sites"), "is missing or empty; a listener needs at least one site");
            Limit(configuration, l, "MaxConnections", l.MaxConnections);
            Limit(configuration, l, "MaxHandshakesPerClient", l.MaxHandshakesPerClient);
            var files = new List<string>();
            var withoutOcsp = new HashSet<string>(StringComparer.Ordinal);
            var sites = new List<ProxySite>(l.Sites.Count);
            var anyAcme = false;
            foreach (var s in l.Sites)
            {
                sites.Add(Site(configuration, l.Name, s, resumption, files, acme));
                if (!s.Ocsp) withoutOcsp.Add(s.Name);
                anyAcme |= s.Acme is not null;
            }
            var options = new ProxyListenerOptions
            {
                Listen = address,
                Sites = sites,
                MaxConnections = l.MaxConnections,
                MaxHandshakesPerClient = l.MaxHandshakesPerClient,
                IdleTimeout = l.IdleTimeout,
                AcmeTlsAlpn = anyAcme && acme is not null ? acme.TlsAlpnAnswer : null,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw Invalid(configuration, new ProxySetting(l.Name, null, "Sites"), e.Message, e);
            }
            result.Add(new ProxyListenerSetup(l.Name, options, files, withoutOcsp));
        }
        return result;
    }

    private static ProxySite Site(ProxyConfiguration configuration, string listener, ProxySiteConfiguration s, ProxyResumption resumption, List<string> files,
        Acme.ProxyCertificateManager? acme)
    {
        ProxySetting At(string key) => new(listener, s.Name, key);
        if (s.Mode == ProxyMode.Http && s.Alpn.Count > 0) throw Invalid(configuration, At("Alpn"), "is for the tcp mode; the http mode offers h2 and http/1.1");
        if (s.Mode == ProxyMode.Http && s.ProxyProtocol) throw Invalid(configuration, At("ProxyProtocol"), "is for the tcp mode; the http mode tells the backend the client's address in X-Forwarded-For");
        if (s.ClientAuth != ClientCertificateMode.None && s.ClientCa is null)
            throw Invalid(configuration, At("ClientAuth"), $"is {s.ClientAuth.ToString().ToLowerInvariant()}, which needs ClientCa (the roots client certificates must chain to)");
        if (s.MinVersion > s.MaxVersion) throw Invalid(configuration, At("Versions"), "leaves no version: the lowest is above the highest");
        if (s.EarlyData is < 0 or > ProxySiteConfiguration.MaxEarlyData)
            throw Invalid(configuration, At("EarlyData"), $"must be 0 to {ProxySiteConfiguration.MaxEarlyData} bytes, not {s.EarlyData}");
        if (s.EarlyData > 0 && s.MaxVersion < Wire.ProtocolVersion.Tls13) throw Invalid(configuration, At("EarlyData"), "is TLS 1.3's; the site offers only TLS 1.2");
        Certificates.TlsCredential? credential = null;
        if (s.Acme is { } settings)
        {
            if (s.Certificate is not null || s.Key is not null) throw Invalid(configuration, At("Acme"), "replaces Certificate and Key; a site has one or the other");
            if (s.ServerNames.Count == 0) throw Invalid(configuration, At("ServerNames"), "must name the site's host names: an ACME site's certificate is ordered for them");
            if (settings.Challenge is not ("tls-alpn-01" or "http-01" or "dns-01")) throw Invalid(configuration, At("Acme:Challenge"), $"must be tls-alpn-01, http-01 or dns-01, not '{settings.Challenge}'");
            if (settings.Challenge != "dns-01")
                foreach (var name in s.ServerNames)
                    if (name.StartsWith('*')) throw Invalid(configuration, At("ServerNames"), $"has the wildcard '{name}', which only dns-01 can prove (Acme:Challenge dns-01 with a DnsHook)");
            if (settings.Challenge == "dns-01" && settings.DnsHook is null) throw Invalid(configuration, At("Acme:DnsHook"), "is missing: dns-01 needs the program that sets the TXT record");
            if (settings.Challenge == "http-01" && configuration.Acme?.HttpListen is null)
                throw Invalid(configuration, At("Acme:Challenge"), "is http-01, which needs the proxy's plain-HTTP listener (Acme:HttpListen, or --http-redirect)");
            if (acme is null) throw Invalid(configuration, At("Acme"), "needs the proxy's ACME storage (Acme:Storage)");
            try
            {
                _ = Acme.ProxyCertificateManager.KeyTypeOf(settings.KeyType);
            }
            catch (ArgumentException e)
            {
                throw Invalid(configuration, At("Acme:KeyType"), e.Message);
            }
            if (settings.CaFile is { } directoryCa) files.Add(Path.GetFullPath(directoryCa));
            credential = acme.Register(s.Name, settings, s.ServerNames);
        }
        else
        {
            if (s.Certificate is null || s.Key is null) throw Invalid(configuration, At(s.Certificate is null ? "Certificate" : "Key"), "is missing; a site needs Certificate and Key files, or an Acme section");
            var certificate = Path.GetFullPath(s.Certificate);
            var key = Path.GetFullPath(s.Key);
            files.Add(certificate);
            files.Add(key);
            credential = Load(configuration, At("Certificate"), () => CredentialFiles.Credential(certificate, key));
        }
        Certificates.TrustStore? clientCa = null;
        if (s.ClientCa is { } caFile)
        {
            var ca = Path.GetFullPath(caFile);
            files.Add(ca);
            clientCa = Load(configuration, At("ClientCa"), () => CredentialFiles.Trust(ca));
        }
        var tls = new TlsServerOptions
        {
            Certificates = credential is null ? [] : [credential],
            // An ACME site whose first certificate is still being ordered: handshakes for its names are refused with
            // unrecognized_name (RFC 6066 §3: the server cannot serve this name yet) rather than given another site's
            // certificate, which a client would refuse less clearly.
            CertificateSelector = credential is null ? _ => throw new TlsException(Wire.AlertDescription.UnrecognizedName,
                $"site '{s.Name}' has no certificate yet: its ACME order is in progress") : null,
            ApplicationProtocols = s.Alpn,
            ClientCertificateMode = s.ClientAuth,
            ClientTrustStore = clientCa,
            MinVersion = s.MinVersion,
            MaxVersion = s.MaxVersion,
            HandshakeTimeout = s.HandshakeTimeout,
            MaxEarlyData = (uint)s.EarlyData,
        };
        if (s.CipherSuites.Count > 0) tls = tls with { CipherSuites = s.CipherSuites };
        return new ProxySite
        {
            Name = s.Name,
            ServerNames = s.ServerNames,
            Tls = resumption.For(listener, s.Name).Apply(tls),
            Mode = s.Mode,
            BackendHost = s.Backend.Host,
            BackendPort = s.Backend.Port,
            ProxyProtocol = s.ProxyProtocol,
        };
    }

    private static void Limit(ProxyConfiguration configuration, ProxyListenerConfiguration l, string key, int value)
    {
        if (value is < 1 or > ProxyListenerConfiguration.MaxLimit)
            throw Invalid(configuration, new ProxySetting(l.Name, null, key), $"must be a whole number from 1 to {ProxyListenerConfiguration.MaxLimit}, not {value}");
    }

    /// <summary>Loads a file; when the configuration came from a file, the setting that named it goes in front of the sentence.</summary>
    private static T Load<T>(ProxyConfiguration configuration, ProxySetting at, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (ProxyHostException e) when (configuration.File is not null)
        {
            throw new ProxyHostException(e.Failure, $"{configuration.Name(at)}: {e.Message}", e);
        }
    }

    internal static ProxyHostException Invalid(ProxyConfiguration configuration, ProxySetting at, string problem, Exception? inner = null) =>
        new(ProxyHostFailure.Configuration, $"{configuration.Name(at)} {problem}", inner);
}
