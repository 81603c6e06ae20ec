"""Join codes: short enough to read aloud, hard enough to guess."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, or U/V: each letter reads and sounds unlike the others.
ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
LENGTH = 8  # 23^8 ≈ 78 billion codes; with joining rate-limited, guessing one is hopeless


def new_join_code() -> str:
    """A random code, written in two groups of four: `KMT4-9XRA`."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalise_code(typed: str) -> str:
    """A typed code in its stored form: case, spaces and dashes do not matter."""
    letters = re.sub(r"[\s\-]", "", typed.upper())[: LENGTH * 2]
    return f"{letters[:4]}-{letters[4:]}" if len(letters) == LENGTH else letters
