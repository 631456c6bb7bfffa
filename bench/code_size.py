"""Lines of code of Python files, as issue 28 counts the write path's size: no blank lines, comments or
docstrings. With `--ref`, the files as they stand at that git revision, so that two trees are counted
alike (the write path's files were named differently at the issue's baseline):

    python bench/code_size.py engine/store.py engine/runtime.py engine/live.py appeals/adapters/uow.py
    python bench/code_size.py --ref 6c136dc engine/store.py engine/changes.py engine/runtime.py appeals/uow.py
"""

import argparse
import ast
import io
import subprocess
import tokenize
from pathlib import Path

#: Tokens that are not code on their own.
_NOT_CODE = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


def code_lines(source: str) -> int:
    """The number of lines that hold a token of code outside a docstring."""
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and ast.get_docstring(
            node, clean=False
        ):
            first = node.body[0]
            docstrings.update(range(first.lineno, first.end_lineno + 1))
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _NOT_CODE:
            lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines)


def source(path: str, ref: str | None) -> str:
    if ref is None:
        return Path(path).read_text()
    return subprocess.run(["git", "show", f"{ref}:{path}"], capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--ref", help="count the files as they stand at this git revision")
    args = parser.parse_args()
    total = 0
    for path in args.paths:
        count = code_lines(source(path, args.ref))
        total += count
        print(f"{count:6d}  {path}")
    print(f"{total:6d}  in all")


if __name__ == "__main__":
    main()
