"""Passwords for people who sign in from a browser: argon2id hashes, never the password itself.

argon2 is slow on purpose (tens of milliseconds a hash), so that a stolen table is slow to guess from.
"""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import InvalidData
from .messages import MESSAGES

MIN_LENGTH = 8
MAX_LENGTH = 200
#: A password's length counts characters, and is refused in the words of every refused length.
_CHARACTERS = MESSAGES.text("unit_characters")
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of an acceptable password; a 422 naming `password` otherwise."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidData(
            MESSAGES.text("password_length", least=MIN_LENGTH, most=MAX_LENGTH),
            fields={
                "password": MESSAGES.text("field_length_between", least=MIN_LENGTH, most=MAX_LENGTH, unit=_CHARACTERS)
            },
        )
    return _HASHER.hash(password)


def matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed. With no hash (an unknown user, or one without a password) a
    hash is still checked, so that the answer takes as long and does not tell which names exist."""
    try:
        return _HASHER.verify(password_hash or _decoy(), password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy() -> str:
    return _HASHER.hash("no user has this password")
