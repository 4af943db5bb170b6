using System.Net;
using System.Net.Sockets;
using Tessera.Interop.Tests.Support;

namespace Tessera.AspNetCore.Tests.Support;

/// <summary>nginx (Debian nginx-light) with TLS and HTTP/2 on a free loopback port, one process, stopped on dispose.</summary>
internal sealed class Nginx : IDisposable
{
    private readonly Peer _process;
    private readonly string _dir;

    private Nginx(Peer process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Nginx> StartAsync()
    {
        var pki = KestrelPki.Shared;
        var dir = Directory.CreateTempSubdirectory("tessera-nginx-").FullName;
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        // nginx 1.22 (Debian 12): "http2" goes on the listen line. master_process off: one process, as this user.
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
                ssl_session_cache shared:tls:1m;
                ssl_protocols TLSv1.2 TLSv1.3;   # 1.22's default lacks TLSv1.3
                server {
                    listen 127.0.0.1:{{port}} ssl http2;
                    server_name localhost;
                    ssl_certificate {{pki.CertFile("localhost")}};
                    ssl_certificate_key {{pki.KeyFile("localhost")}};
                    location / {
                        default_type text/plain;
                        return 200 "$server_protocol $ssl_protocol reused=$ssl_session_reused\n";
                    }
                }
            }
            """);
        var process = Peer.Start("nginx", $"-p {dir} -c {dir}/nginx.conf");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        return new Nginx(process, dir, port);
    }

    public void Dispose()
    {
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
