"""Who is calling: a bearer token (machines) or the browser's session cookie, which proves a write by the
CSRF token it came with; and the address failed attempts are counted against."""

from flask import g, request

from appeals.services import sessions
from appeals.services.users import authenticate

#: The browser's session cookie (api/session) and the header that carries its CSRF token on writes.
SESSION_COOKIE = "appealflow_session"
CSRF_HEADER = "X-CSRF-Token"
READS = ("GET", "HEAD", "OPTIONS")


def client_address() -> str:
    """The client's address, for counting failed authentications: behind TRUSTED_PROXIES proxies, the one
    they were called from (ProxyFix, app.py), never one a client wrote in a header itself."""
    return request.remote_addr or "unknown"


def identify(uow) -> None:
    """Set `g.actor` to the caller: by the bearer token when the request has an Authorization header
    (machines), else by the session cookie and, on writes, its CSRF token."""
    header = request.headers.get("Authorization", "")
    if not header and SESSION_COOKIE in request.cookies:
        g.actor = sessions.authenticate(
            uow,
            cookie=request.cookies[SESSION_COOKIE],
            csrf=request.headers.get(CSRF_HEADER),
            writing=request.method not in READS,
            client=client_address(),
        )
        return
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    g.actor = authenticate(uow, token, client=client_address())
