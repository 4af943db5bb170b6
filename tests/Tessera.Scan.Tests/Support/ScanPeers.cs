using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.Scan.Tests.Support;

/// <summary>Servers the scanner is tested against: nginx with a given TLS configuration, gnutls-serv, openssl s_server (certificates from <see cref="ScanPki"/>: PREFIX.pem and PREFIX.key).</summary>
internal sealed class ScanPeer : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly IDisposable _process;
    private readonly string? _dir;

    private ScanPeer(IDisposable process, int port, string? dir)
    {
        _process = process;
        Port = port;
        _dir = dir;
    }

    public int Port { get; }

    /// <summary>An nginx configured the way old guides said: TLS 1.0 to 1.3, HIGH suites (CBC and RSA key exchange among them), no tickets.</summary>
    public const string LegacyNginx = """
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
        ssl_ciphers HIGH:!aNULL:!MD5:@SECLEVEL=0;
        ssl_prefer_server_ciphers on;
        ssl_session_tickets off;
        ssl_session_cache shared:scan:1m;
        """;

    /// <summary>Mozilla's "intermediate" profile: TLS 1.2 and 1.3, ECDHE with AEAD only, client's order.</summary>
    public const string ModernNginx = """
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        ssl_session_cache shared:scan:1m;
        """;

    /// <summary>nginx (one process, as this user) with <paramref name="tls"/> as its http-level TLS directives.</summary>
    public static async Task<ScanPeer> NginxAsync(string tls, string certificate)
    {
        var dir = Directory.CreateTempSubdirectory("tessera-scan-nginx-").FullName;
        var port = Ports.Free();
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log info;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                {{tls}}
                server {
                    listen 127.0.0.1:{{port}} ssl;
                    server_name localhost;
                    ssl_certificate {{certificate}}.pem;
                    ssl_certificate_key {{certificate}}.key;
                    location / { return 200 "ok\n"; }
                }
            }
            """);
        var process = Peer.Start("nginx", $"-p {dir} -c {dir}/nginx.conf");
        await ReadyAsync(port, process);
        return new ScanPeer(process, port, dir);
    }

    /// <summary>gnutls-serv with its default priority string (NORMAL).</summary>
    public static async Task<ScanPeer> GnutlsAsync(string certificate)
    {
        var port = Ports.Free();
        var process = Peer.Start("gnutls-serv", $"--x509certfile={certificate}.pem --x509keyfile={certificate}.key -p {port} --echo");
        await ReadyAsync(port, process);
        return new ScanPeer(process, port, null);
    }

    /// <summary>openssl s_server with its defaults and <paramref name="extra"/> flags (-www unless <paramref name="www"/> is false: -early_data refuses it).</summary>
    public static async Task<ScanPeer> OpenSslAsync(string certificate, string extra = "", bool www = true)
    {
        var port = Ports.Free();
        var process = Peer.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {certificate}.pem -key {certificate}.key {(www ? "-www" : "")} -quiet {extra}");
        await ReadyAsync(port, process);
        return new ScanPeer(process, port, null);
    }

    private static async Task ReadyAsync(int port, Peer process)
    {
        try
        {
            using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(15))) { }
        }
        catch (System.Net.Sockets.SocketException e)
        {
            process.Dispose();
            throw new InvalidOperationException($"the peer on port {port} did not start: {process.AllOutput}", e);
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        if (_dir is not null)
        {
            try { Directory.Delete(_dir, recursive: true); }
            catch (IOException) { /* nginx may still hold its log for a moment; the temp folder is the system's to clean */ }
        }
    }
}
