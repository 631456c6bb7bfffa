"""The domain's own refusals, in the same shape as the engine's so one handler turns both into HTTP."""

from engine import EngineError, InvalidData, NotFound

__all__ = ["Forbidden", "Gone", "InvalidData", "NotFound", "TooLarge", "TooManyAttempts", "Unauthorized", "described"]

#: Attributes that name what went wrong without saying what it was about.
_CODES = ("code", "sqlstate", "sqlite_errorname")


def described(error: BaseException) -> str:
    """What a log may say of an exception: its type and codes, never its message, which may quote a
    citizen's data (PostgreSQL's "Failing row contains ..."). The services log failures with it, and the
    log privacy hook (adapters/log_privacy.py) names each exception of a traceback with it."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    codes = [str(code) for code in (getattr(error, attribute, None) for attribute in _CODES) if code]
    return f"{name} ({', '.join(codes)})" if codes else name


class Unauthorized(EngineError):
    code = "unauthorized"
    status = 401


class Forbidden(EngineError):
    code = "forbidden"
    status = 403


class TooManyAttempts(EngineError):
    code = "too_many_attempts"
    status = 429


class Gone(EngineError):
    """Something that existed and can no longer be used: an expired or used one-time link."""

    code = "gone"
    status = 410


class TooLarge(EngineError):
    """An upload beyond a limit (bytes, or an image's pixels)."""

    code = "too_large"
    status = 413
