"""The words of an appeal that say what it is about, for "top demands": Chinese segmented into words by
jieba, English by its letters; stop words (stop_words.txt) and single characters dropped.

jieba's own dictionary is general; demand_words.txt (a jieba user dictionary) adds the words citizens'
appeals are made of, so that 路灯不亮 is 路灯 + 不亮 rather than 路 + 灯不亮.

jieba's dictionary takes a second or two to load, so it is loaded once, on first use, and jieba's own
logger (which otherwise prints its progress to stderr) is kept to warnings.
"""

import logging
import re
import threading
from functools import cache
from pathlib import Path

STOP_WORDS_FILE = Path(__file__).with_name("stop_words.txt")
DEMAND_WORDS_FILE = Path(__file__).with_name("demand_words.txt")
#: A word worth counting holds a Chinese character or a Latin letter (not only digits or punctuation).
_WORDLIKE = re.compile(r"[a-z\u3400-\u9fff]")
_loading = threading.Lock()


def keywords(text: str) -> set[str]:
    """The distinct words of `text` (lower case) that are not stop words and are longer than one character."""
    stop = stop_words()
    found = set()
    for token in _segmenter().lcut(text.lower()):
        word = token.strip()
        if len(word) > 1 and word not in stop and _WORDLIKE.search(word):
            found.add(word)
    return found


@cache
def stop_words() -> frozenset[str]:
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def _segmenter():
    """jieba's tokenizer with its dictionary loaded: once per process, by the first caller."""
    with _loading:
        return _load()


@cache
def _load():
    import jieba  # imported here: importing it alone costs over half a second

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(DEMAND_WORDS_FILE))
    return tokenizer
