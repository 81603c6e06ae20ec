"""Attack tests: what an adversary tries against Academy, and what must hold."""
