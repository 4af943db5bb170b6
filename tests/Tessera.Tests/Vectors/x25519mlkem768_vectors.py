#!/usr/bin/env python3
"""Known answers for X25519MLKEM768 (X25519MlKem768Tests), from an independent implementation.

pyca/cryptography >= 47 (its wheels carry OpenSSL >= 3.5, whose ML-KEM and X25519 these are) computes what Tessera
must produce from the same fixed random streams:
  client stream: ML-KEM-768 seed d||z = bytes 0x00..0x3f, then the X25519 scalar = bytes 0x40..0x5f;
  server stream: the X25519 scalar = bytes 0xa0..0xbf, then ML-KEM's message m = bytes 0xc0..0xdf.
pyca cannot encapsulate with a chosen m, so the server's ciphertext is Tessera's (argv[1], hex); this script checks it
by decapsulating it and prints the combined secret both sides must reach. Run: python3 x25519mlkem768_vectors.py [ct]
"""
import hashlib
import sys

from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

client_seed = bytes(range(0x00, 0x40))
client_x = bytes(range(0x40, 0x60))
server_x = bytes(range(0xA0, 0xC0))

dk = mlkem.MLKEM768PrivateKey.from_seed_bytes(client_seed)
ek = dk.public_key().public_bytes_raw()
client_xpub = x25519.X25519PrivateKey.from_private_bytes(client_x).public_key().public_bytes_raw()
client_share = ek + client_xpub
server_xpub = x25519.X25519PrivateKey.from_private_bytes(server_x).public_key().public_bytes_raw()
print("client share length", len(client_share))
print("client share sha256", hashlib.sha256(client_share).hexdigest())
print("server x25519 public", server_xpub.hex())

if len(sys.argv) > 1:
    ct = bytes.fromhex(sys.argv[1])
    assert len(ct) == 1088, len(ct)
    mlkem_secret = dk.decapsulate(ct)
    x_secret = x25519.X25519PrivateKey.from_private_bytes(client_x).exchange(
        x25519.X25519PublicKey.from_public_bytes(server_xpub))
    print("server share sha256", hashlib.sha256(ct + server_xpub).hexdigest())
    print("shared secret", (mlkem_secret + x_secret).hex())
