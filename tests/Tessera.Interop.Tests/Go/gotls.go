// A Go crypto/tls peer for Tessera's interop tests: built by the test (go build, standard library only, no
// module downloads) and run as a one-connection echo server or a client that sends one line and reads it back.
//
//	gotls server -cert C -key K -version 1.2|1.3     prints "listening PORT", serves one connection, exits
//	gotls client -port P -ca CA -name N -version V   prints what was negotiated and the echoed line
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func version(v string) uint16 {
	switch v {
	case "1.2":
		return tls.VersionTLS12
	case "1.3":
		return tls.VersionTLS13
	}
	fmt.Fprintln(os.Stderr, "version must be 1.2 or 1.3")
	os.Exit(2)
	return 0
}

func describe(s tls.ConnectionState) string {
	return fmt.Sprintf("negotiated version=%04x cipher=%04x resumed=%v", s.Version, s.CipherSuite, s.DidResume)
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}

func server(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	cert := fs.String("cert", "", "certificate chain (PEM)")
	key := fs.String("key", "", "private key (PEM)")
	v := fs.String("version", "1.3", "1.2 or 1.3")
	fs.Parse(args)
	pair, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		fail("load key pair", err)
	}
	ver := version(*v)
	config := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: ver, MaxVersion: ver}
	l, err := tls.Listen("tcp", "127.0.0.1:0", config)
	if err != nil {
		fail("listen", err)
	}
	fmt.Printf("listening %d\n", l.Addr().(*net.TCPAddr).Port)
	c, err := l.Accept()
	if err != nil {
		fail("accept", err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	conn := c.(*tls.Conn)
	if err := conn.Handshake(); err != nil {
		fail("handshake", err)
	}
	fmt.Println(describe(conn.ConnectionState()))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		fail("read", err)
	}
	if _, err := conn.Write([]byte(line)); err != nil {
		fail("write", err)
	}
	conn.Close()
	fmt.Println("done")
}

func client(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	port := fs.Int("port", 0, "server port on 127.0.0.1")
	ca := fs.String("ca", "", "trusted root (PEM)")
	name := fs.String("name", "localhost", "server name")
	v := fs.String("version", "1.3", "1.2 or 1.3")
	fs.Parse(args)
	pem, err := os.ReadFile(*ca)
	if err != nil {
		fail("read CA", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		fail("parse CA", fmt.Errorf("no certificate in %s", *ca))
	}
	ver := version(*v)
	config := &tls.Config{RootCAs: roots, ServerName: *name, MinVersion: ver, MaxVersion: ver}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	conn, err := tls.DialWithDialer(dialer, "tcp", fmt.Sprintf("127.0.0.1:%d", *port), config)
	if err != nil {
		fail("handshake", err)
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Println(describe(conn.ConnectionState()))
	if _, err := conn.Write([]byte("hello from go\n")); err != nil {
		fail("write", err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		fail("read", err)
	}
	fmt.Printf("echo: %s", line)
	conn.Close()
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gotls server|client ...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		server(os.Args[2:])
	case "client":
		client(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: gotls server|client ...")
		os.Exit(2)
	}
}
