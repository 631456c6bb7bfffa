"""The reader's language: `Accept-Language` picks zh-CN (the default) or en for every text for people."""

from flask import current_app, request

from appeals.domain.messages import word
from engine import DEFAULT_LANGUAGE, LANGUAGES, Text


def language() -> str:
    """The request's language: the best of LANGUAGES its Accept-Language names (`en-US` is en, `zh` zh-CN)."""
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def worded(text: Text) -> str:
    """`text` in the request's language, its times in the service's zone."""
    return word(text, language=language(), zone=current_app.extensions["appealflow"].zone)


def vary(response):
    """Tell caches that the words of a response depend on the request's Accept-Language."""
    response.vary.add("Accept-Language")
    return response
