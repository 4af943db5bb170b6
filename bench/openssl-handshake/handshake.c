/*
 * OpenSSL's own in-memory TLS 1.3 handshake loop, the anchor Tessera's sans-IO pair is compared with (in the spirit of
 * the `handshake` program in OpenSSL's perftools, which cannot be downloaded here). Two SSL objects talk over a BIO
 * pair in one thread: X25519 only, the server's chain from PEM, the client verifying it against the root and the name.
 * Each pair also moves one byte each way, so the client reads its tickets, as Tessera's loop does.
 *
 *   handshake CHAIN.pem KEY.pem ROOT.pem COUNT   ->   prints "µs per pair" as a number on one line
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void fail(const char *what)
{
    fprintf(stderr, "handshake: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

/* Runs until both sides are done with op (handshake, or a one-byte write then read); a bounded number of turns. */
static void pump_handshake(SSL *client, SSL *server)
{
    int client_done = 0, server_done = 0;
    for (int turn = 0; turn < 64 && !(client_done && server_done); turn++) {
        if (!client_done) {
            int r = SSL_do_handshake(client);
            if (r == 1) client_done = 1;
            else if (SSL_get_error(client, r) != SSL_ERROR_WANT_READ) fail("client handshake");
        }
        if (!server_done) {
            int r = SSL_do_handshake(server);
            if (r == 1) server_done = 1;
            else if (SSL_get_error(server, r) != SSL_ERROR_WANT_READ) fail("server handshake");
        }
    }
    if (!(client_done && server_done)) fail("the handshake did not finish");
}

static void one_byte(SSL *from, SSL *to)
{
    unsigned char byte = 42;
    if (SSL_write(from, &byte, 1) != 1) fail("write");
    for (int turn = 0; turn < 8; turn++) {
        int r = SSL_read(to, &byte, 1);
        if (r == 1) return;
        if (SSL_get_error(to, r) != SSL_ERROR_WANT_READ) fail("read");
    }
    fail("the byte did not arrive");
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: handshake CHAIN.pem KEY.pem ROOT.pem COUNT\n");
        return 2;
    }
    long count = strtol(argv[4], NULL, 10);
    SSL_CTX *server_ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX *client_ctx = SSL_CTX_new(TLS_client_method());
    if (server_ctx == NULL || client_ctx == NULL) fail("SSL_CTX_new");
    SSL_CTX *both[] = { server_ctx, client_ctx };
    for (int i = 0; i < 2; i++) {
        SSL_CTX_set_min_proto_version(both[i], TLS1_3_VERSION);
        if (SSL_CTX_set1_groups_list(both[i], "X25519") != 1) fail("groups");
        /* Full handshakes only: no session cache on either side. */
        SSL_CTX_set_session_cache_mode(both[i], SSL_SESS_CACHE_OFF);
    }
    if (SSL_CTX_use_certificate_chain_file(server_ctx, argv[1]) != 1) fail("chain");
    if (SSL_CTX_use_PrivateKey_file(server_ctx, argv[2], SSL_FILETYPE_PEM) != 1) fail("key");
    if (SSL_CTX_load_verify_locations(client_ctx, argv[3], NULL) != 1) fail("root");
    SSL_CTX_set_verify(client_ctx, SSL_VERIFY_PEER, NULL);

    struct timespec start, end;
    for (long i = -count / 10; i < count; i++) {  /* the first tenth warms up */
        if (i == 0) clock_gettime(CLOCK_MONOTONIC, &start);
        SSL *client = SSL_new(client_ctx), *server = SSL_new(server_ctx);
        BIO *client_bio, *server_bio;
        if (client == NULL || server == NULL || BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) != 1) fail("SSL_new");
        SSL_set_bio(client, client_bio, client_bio);
        SSL_set_bio(server, server_bio, server_bio);
        SSL_set_connect_state(client);
        SSL_set_accept_state(server);
        SSL_set_tlsext_host_name(client, "example.test");
        if (SSL_set1_host(client, "example.test") != 1) fail("host");
        pump_handshake(client, server);
        if (SSL_get_verify_result(client) != X509_V_OK) fail("the client did not verify the chain");
        one_byte(client, server);
        one_byte(server, client);
        SSL_free(client);
        SSL_free(server);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double micros = (end.tv_sec - start.tv_sec) * 1e6 + (end.tv_nsec - start.tv_nsec) / 1e3;
    printf("%.1f\n", micros / count);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(client_ctx);
    return 0;
}
