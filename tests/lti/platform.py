"""A simulated LTI 1.3 platform: its own keys, and a keyset, token endpoint and gradebook
served over real HTTP from a thread on 127.0.0.1, recording every request it receives."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from academy.lti.operations import PlatformDetails

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
# What platforms send about a person and Academy must never keep: each appears nowhere else.
PERSONAL = {
    "name": "Josephine Canaryperson",
    "given_name": "Josephine",
    "family_name": "Canaryperson",
    "email": "josephine.canary@lms.example.org",
    "picture": "https://lms.example.org/pictures/canary-face.png",
    LTI + "lis": {"person_sourcedid": "canary-sis-4471"},
}
CANARIES = ("Canaryperson", "Josephine", "josephine.canary", "canary-face", "canary-sis-4471")


def new_key():
    """A fresh RSA private key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class SimulatedPlatform:
    """A learning platform as Academy meets it over HTTP; start() to serve, stop() after.

    Unstarted, it only signs: a stranger platform that Academy never registered.
    """

    def __init__(self, issuer: str = "https://lms.example.org", client_id: str = "academy-tool"):
        self.issuer = issuer
        self.client_id = client_id
        self.deployment_id = "deployment-1"
        self.key = new_key()
        self.kid = "platform-key-1"
        self.requests: list[dict] = []  # every request received: method, path, headers, body
        self.score_status = 200  # what the gradebook answers (503: the platform is down)
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> SimulatedPlatform:
        """Serve in a background thread."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        """An address on this platform."""
        host, port = self.server.server_address
        return f"http://{host}:{port}{path}"

    def details(self) -> PlatformDetails:
        """What an admin copies from this platform into `academy lti add-platform`."""
        return PlatformDetails(
            issuer=self.issuer,
            client_id=self.client_id,
            deployment_id=self.deployment_id,
            auth_login_url=self.url("/auth"),
            auth_token_url=self.url("/token"),
            keyset_url=self.url("/jwks"),
        )

    def jwks(self) -> dict:
        """The platform's public keyset."""
        key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**key, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, nonce: str, **changes) -> dict:
        """A learner's resource launch, with the personal claims platforms add; `changes` win."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "opaque-user-7f3a",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            LTI + "deployment_id": self.deployment_id,
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "roles": [LEARNER],
            LTI + "resource_link": {"id": "resource-link-1", "title": "Week 1"},
            LTI + "target_link_uri": "https://localhost/lti/launch",
            LTI + "context": {"id": "course-1", "title": "Know your rights"},
            **PERSONAL,
        }
        claims.update(changes)
        return claims

    def id_token(self, claims: dict, key=None) -> str:
        """The claims signed as this platform signs (or with another `key`, as a forger would)."""
        private = (key or self.key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": self.kid})

    def received(self, path: str) -> list[dict]:
        """The requests that reached `path`."""
        return [request for request in self.requests if request["path"] == path]


def _handler(platform: SimulatedPlatform) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to `platform`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._record(b"")
            if self.path == "/jwks":
                return self._reply(200, platform.jwks())
            return self._reply(404, {})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._record(body)
            if self.path == "/token":
                token = {"access_token": "token-5150", "token_type": "Bearer", "expires_in": 3600}
                return self._reply(200, token)
            if self.path.endswith("/scores"):
                return self._reply(platform.score_status, {})
            return self._reply(404, {})

        def _record(self, body: bytes) -> None:
            platform.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": body.decode(),
                }
            )

        def _reply(self, status: int, document: dict) -> None:
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # quiet: pytest shows what matters
            pass

    return Handler


def form(body: str) -> dict[str, str]:
    """A recorded form body as a dict of single values."""
    return {key: values[0] for key, values in parse_qs(body).items()}
