"""The tool's RSA signing keys under instance/: made once, published as a JWKS, rotated by hand.

The newest key signs; older keys stay published until removed, so that a platform holding
a message signed a moment before a rotation can still check it.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

KEY_BITS = 2048
SUFFIX = ".pem"


@dataclass(frozen=True)
class ToolKey:
    """One key pair: its file, its id in the JWKS (the RFC 7638 thumbprint) and its PEMs."""

    path: Path
    kid: str
    private_pem: str
    public_pem: str

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(JWK.from_pem(self.public_pem.encode()).export_public())
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


def _load(path: Path) -> ToolKey:
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    kid = JWK.from_pem(public_pem.encode()).thumbprint()
    return ToolKey(path, kid, path.read_text(), public_pem)


def tool_keys(directory: Path) -> list[ToolKey]:
    """Every published key, newest first (the first one signs)."""
    if not directory.is_dir():
        return []
    return [_load(path) for path in sorted(directory.glob(f"*{SUFFIX}"), reverse=True)]


def add_key(directory: Path) -> ToolKey:
    """Make a new key pair; it signs from now on, the older ones stay published."""
    directory.mkdir(parents=True, exist_ok=True)
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # The name sorts by creation (nanoseconds); the random part keeps two workers' keys apart.
    name = f"{time.time_ns():020d}-{secrets.token_hex(4)}{SUFFIX}"
    tmp = directory / f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    tmp.rename(directory / name)
    return _load(directory / name)


def signing_key(directory: Path) -> ToolKey:
    """The key that signs: the newest, made on first use."""
    keys = tool_keys(directory)
    if keys:
        return keys[0]
    # Several workers may start at once: each may make one, and the newest of them wins.
    add_key(directory)
    return tool_keys(directory)[0]


def remove_key(directory: Path, kid: str) -> bool:
    """Stop publishing an old key; the signing key cannot be removed. True if one was."""
    keys = tool_keys(directory)
    for key in keys[1:]:
        if key.kid == kid:
            key.path.unlink()
            return True
    return False


def jwks(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """The published key set."""
    return {"keys": [key.public_jwk for key in tool_keys(directory)]}
