"""The domain's own refusals, in the same shape as the engine's so one handler turns both into HTTP."""

from engine import EngineError, InvalidData, NotFound

__all__ = ["Forbidden", "Gone", "InvalidData", "NotFound", "TooLarge", "TooManyAttempts", "Unauthorized"]


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
