"""The browser's session: sign in (a cookie and a CSRF token), who am I, sign out; and signing in by setting
a password through a one-time link (appeals/services/password_links.py)."""

from flask import after_this_request, request
from flask.views import MethodView

from appeals.services import password_links, sessions

from ..auth import CSRF_HEADER, SESSION_COOKIE, client_address
from ..framework import Blueprint, runtime
from .schemas import (
    PasswordLinkCheckSchema,
    PasswordLinkStateSchema,
    PasswordLinkUseSchema,
    SessionSchema,
    SignInSchema,
)

blp = Blueprint(
    "session", __name__, description="Sign-in for people in a browser (machines keep their bearer tokens)", public=True
)


@blp.route("")
class SessionViews(MethodView):
    @blp.arguments(SignInSchema)
    @blp.response(201, SessionSchema)
    @blp.doc(security=[])
    def post(self, body):
        """Sign in with name and password: sets the session cookie and returns the CSRF token"""
        session, cookie = sessions.sign_in(runtime().uow(), **body, client=client_address())
        after_this_request(lambda response: _set_cookie(response, cookie, session["expires_at"]))
        return session

    @blp.response(200, SessionSchema)
    @blp.doc(security=[])
    def get(self):
        """Who is signed in with this cookie, and the session's CSRF token"""
        return sessions.current(runtime().uow(), cookie=request.cookies.get(SESSION_COOKIE), client=client_address())

    @blp.response(204)
    @blp.doc(security=[])
    def delete(self):
        """Sign out: end the session (needs the X-CSRF-Token header) and clear its cookie"""
        cookie, csrf = request.cookies.get(SESSION_COOKIE), request.headers.get(CSRF_HEADER)
        sessions.sign_out(runtime().uow(), cookie=cookie, csrf=csrf, client=client_address())
        after_this_request(lambda response: _set_cookie(response, "", 0))


@blp.route("/password-link")
class PasswordLinkViews(MethodView):
    @blp.arguments(PasswordLinkUseSchema)
    @blp.response(201, SessionSchema)
    @blp.doc(security=[])
    def post(self, body):
        """Set your password through a one-time link and sign in (404 unknown link, 410 used or expired)"""
        session, cookie = password_links.use(runtime().uow(), **body, client=client_address())
        after_this_request(lambda response: _set_cookie(response, cookie, session["expires_at"]))
        return session


@blp.route("/password-link/check")
class PasswordLinkCheckViews(MethodView):
    @blp.arguments(PasswordLinkCheckSchema)
    @blp.response(200, PasswordLinkStateSchema)
    @blp.doc(security=[])
    def post(self, body):
        """Whose password a one-time link sets, and until when (404 unknown link, 410 used or expired)"""
        return password_links.check(runtime().uow(), **body, client=client_address())


def _set_cookie(response, value: str, expires):
    """HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over https."""
    response.set_cookie(
        SESSION_COOKIE, value, expires=expires, httponly=True, samesite="Strict", secure=request.is_secure, path="/"
    )
    return response
