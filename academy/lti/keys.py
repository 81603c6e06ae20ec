"""Academy's RSA key pairs, one per platform, made with `cryptography`."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# RS256 is the only signature LTI 1.3 requires every platform to accept; 2048 bits is its floor.
KEY_SIZE = 2048


def new_key_pair() -> tuple[str, str]:
    """A fresh (private, public) key pair as PEM text."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem.decode(), public_pem.decode()
