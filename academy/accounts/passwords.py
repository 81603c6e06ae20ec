"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): above Werkzeug's scrypt default,
# and cheap enough that a one-core server can sign in a whole room of trainees at once.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8
# Long passphrases are welcome; a megabyte of text to hash would only be a way to busy the server.
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# Verified against when a username does not exist, so a wrong name takes as long as a wrong
# password and the timing does not tell which usernames exist.
_DUMMY_HASH = HASHER.hash("not a password anyone has")


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, with its own random salt and parameters."""
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches the stored hash; None stands for a missing account."""
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return HASHER.check_needs_rehash(stored)


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of passwords that attackers try first."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str) -> str | None:
    """Why a new password cannot be used (short, long, common, the username), or None."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    if password.lower() in common_passwords():
        return "common"
    if username and password.strip().casefold() == username.strip().casefold():
        return "username"
    return None


# The stored hash of an account that no password opens: one a learning platform or a host site
# signs in. No argon2 hash starts with "!", so no password ever matches it.
UNUSABLE_PASSWORD = "!"
