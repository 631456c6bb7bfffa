"""The rules designers' code is compiled under (RestrictedPython) and the guards it runs with.

Code from process files is compiled with `compile_restricted` (no imports, no names or attributes starting
with an underscore) and runs with guarded attribute, item and iteration access and a short list of
builtins. SpiffWorkflow's own `TaskDataEnvironment(safe_globals)` is not enough: it leaves
`().__class__.__base__.__subclasses__()` open, which `compile_restricted` refuses.

The guards also keep each thing one step builds small: a string, list or integer beyond `MAX_ITEMS`
items or `MAX_INTEGER_BITS` bits is refused before it is built, whether by `*`, `+`, `**`, `<<`, `range`, a
`%` or f-string width or a string method (`replace`, `join`, `ljust`, `expandtabs`, ...). They are the
cheap first line; the sandbox worker's memory limit (isolation.py) is the one nothing gets past.

This module is imported by the sandbox worker (sandbox_worker.py) on its own, outside the `engine`
package, so it imports nothing of the engine and nothing heavier than RestrictedPython. It cannot word what
it refuses either: a refusal names its message in the engine's catalog by key (`Refused`), and the engine
words it in the reader's language.
"""

import ast
import operator
import re
import string
import sys
from functools import lru_cache

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from RestrictedPython.PrintCollector import PrintCollector

SCRIPT_FILENAME = "<process script>"  # what code compiled from a process is named in its frames
MAX_ITEMS = 1_000_000
MAX_INTEGER_BITS = 100_000


class Refused(Exception):
    """Something the sandbox refuses, named by the key of its message in the engine's catalog
    (engine/messages.py) and that message's parameters, which cross to the engine from a worker as they are.
    Before anyone reads it the engine gives it its `text`, and that text's English as its argument (sandbox.py)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params
        self.text = None


class SandboxLimit(Refused):
    """A script or expression went past one of the sandbox's bounds."""


class DataRefused(Refused, ValueError):
    """A value process data cannot hold (NaN, a set), or data the sandbox cannot take."""


def refused_data(name: str | None, kind: str | None = None) -> DataRefused:
    """The refusal of a value named `name` (None: the result) that process data cannot hold: a number that
    is not finite, or (`kind` given) a value of that type."""
    if kind is None:
        return DataRefused("value_not_finite", name=name) if name else DataRefused("result_not_finite")
    return DataRefused("value_not_data", name=name, type=kind) if name else DataRefused("result_not_data", type=kind)


#: What the sandbox's compiler says of an import statement, among RestrictedPython's refusals (plain.py
#: gives the catalog's words for it).
IMPORT_REFUSED = "import statements are not allowed; use the helpers the engine provides"


#: The messages of a result too large: in items, or in characters.
_ITEMS, _CHARACTERS = "sandbox_too_many_items", "sandbox_too_many_characters"


def _too_many(count: int, key: str = _ITEMS):
    if count > MAX_ITEMS:
        raise SandboxLimit(key, count=count, most=MAX_ITEMS)


def _limited_range(*args):
    produced = range(*args)
    _too_many(len(produced))
    return produced


def _guarded_pow(base, exponent, modulo=None):
    if modulo is None and isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if abs(base) > 1 and abs(base).bit_length() * exponent > MAX_INTEGER_BITS:
            raise SandboxLimit("sandbox_power_too_large")
    return pow(base, exponent, modulo) if modulo is not None else pow(base, exponent)


def _guarded_mul(left, right):
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
            _too_many(len(sequence) * count)
    return left * right


def _concatenable(left, right) -> tuple:
    """(left, right), when `left + right` is within the limit (sequences only: numbers are not sized)."""
    if isinstance(left, str | bytes | list | tuple) and isinstance(right, str | bytes | list | tuple):
        _too_many(len(left) + len(right))
    return left, right


def _guarded_lshift(left, right):
    if isinstance(left, int) and isinstance(right, int) and left and left.bit_length() + right > MAX_INTEGER_BITS:
        raise SandboxLimit("sandbox_shift_too_large", bits=MAX_INTEGER_BITS)
    return left << right


#: `%` conversions: their width and precision, a number or `*` (taken from the arguments).
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _guarded_mod(left, right):
    if isinstance(left, str | bytes):
        text = left.decode("latin-1") if isinstance(left, bytes) else left
        for width, precision in _PERCENT_SPEC.findall(text):
            if "*" in (width, precision):
                raise SandboxLimit("sandbox_star_width")
            _too_many(max(int(width or 0), int(precision or 0)), _CHARACTERS)
    return left % right


def _checked_spec(spec: str) -> str:
    """A format spec (f-string or format_map) with no width or precision beyond MAX_ITEMS."""
    for digits in re.findall(r"\d+", spec):
        _too_many(int(digits), _CHARACTERS)
    return spec


def _guarded_format(value, conversion: int, spec: str):
    """What an f-string field `{value!conversion:spec}` gives, its spec checked first (see `_Policy`)."""
    converted = {ord("s"): str, ord("r"): repr, ord("a"): ascii}.get(conversion, lambda v: v)(value)
    return format(converted, _checked_spec(spec))


def _sized(method, size):
    """`method` of a string, run only when `size(text, *args)`, the length of its result, is allowed."""

    def guarded(text, *args, **kwargs):
        _too_many(size(text, *args, **kwargs), _CHARACTERS)
        return getattr(text, method)(*args, **kwargs)

    return guarded


def _replaced_size(text, old, new, count=-1):
    times = text.count(old) if old else len(text) + 1
    return len(text) + max(0, len(new) - len(old)) * (times if count < 0 else min(times, count))


def _padded_size(text, width, *fill):
    return max(len(text), width if isinstance(width, int) else 0)


def _format_map_size(text, mapping):
    for _, _, spec, _ in string.Formatter().parse(text):
        _checked_spec(spec or "")
    return len(text)


_STRING_METHODS = {
    "replace": _replaced_size,
    "ljust": _padded_size,
    "rjust": _padded_size,
    "center": _padded_size,
    "zfill": _padded_size,
    "expandtabs": lambda text, tabsize=8: len(text) + text.count("\t" if isinstance(text, str) else b"\t") * tabsize,
    "format_map": _format_map_size,
}


def _guarded_join(separator):
    def join(parts):
        parts = list(parts)
        _too_many(sum(len(p) for p in parts if isinstance(p, str | bytes)) + len(separator) * len(parts), _CHARACTERS)
        return separator.join(parts)

    return join


def _guarded_getattr(obj, name, default=None):
    """RestrictedPython's `safer_getattr`, with the string methods that can build a large string sized first."""
    if isinstance(obj, str | bytes):
        if name == "join":
            return _guarded_join(obj)
        size = _STRING_METHODS.get(name)
        if size is not None:
            guarded = _sized(name, size)
            return lambda *args, **kwargs: guarded(obj, *args, **kwargs)
    return safer_getattr(obj, name, default)


_EXTRA_BUILTINS = {
    name: getattr(__builtins__, name, None) if not isinstance(__builtins__, dict) else __builtins__[name]
    for name in ("all", "any", "dict", "enumerate", "list", "max", "min", "reversed", "sorted", "sum", "map", "filter")
}

_INPLACE = {
    "+=": lambda x, y: operator.iadd(*_concatenable(x, y)),
    "-=": operator.isub,
    "*=": _guarded_mul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": _guarded_mod,
    "**=": _guarded_pow,
    "<<=": _guarded_lshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
}
_UNSAFE = ("__build_class__", "setattr", "delattr")


def _script_locals() -> dict:
    """`locals()` in a script: a copy of the script's own variables (the task data and what it set), which
    SpiffWorkflow's models test names with (`if 'x' in locals()`). A copy, so nothing is changed through it."""
    return dict(sys._getframe(1).f_locals)


GUARDS = {
    "__builtins__": {
        **{name: value for name, value in safe_builtins.items() if name not in _UNSAFE},
        **_EXTRA_BUILTINS,
        "range": _limited_range,
        "pow": _guarded_pow,
        "locals": _script_locals,
    },
    "_print_": PrintCollector,  # print() works; what it prints is dropped (a script's output has no reader)
    "_pow_": _guarded_pow,
    "_mul_": _guarded_mul,
    "_add_": lambda x, y: operator.add(*_concatenable(x, y)),
    "_lshift_": _guarded_lshift,
    "_mod_": _guarded_mod,
    "_format_": _guarded_format,
    "_getattr_": _guarded_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": lambda op, x, y: _INPLACE[op](x, y) if op in _INPLACE else _refused_inplace(op),
}


def _refused_inplace(op):
    raise SandboxLimit("sandbox_operator_unavailable", op=op)


_BINARY_GUARDS = {ast.Pow: "_pow_", ast.Mult: "_mul_", ast.Add: "_add_", ast.LShift: "_lshift_", ast.Mod: "_mod_"}


def _call(guard: str, args: list, like: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=args, keywords=[])
    return ast.fix_missing_locations(ast.copy_location(call, like))


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's rules; no import statements at all (refused when the package is deployed); and
    `**`, `*`, `+`, `<<`, `%` and formatted f-string fields through guards, so that one step cannot build
    a number or string too large."""

    def visit_Import(self, node):
        self.error(node, IMPORT_REFUSED)
        return node

    visit_ImportFrom = visit_Import

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        guard = _BINARY_GUARDS.get(type(node.op))
        return node if guard is None else _call(guard, [node.left, node.right], node)

    def visit_FormattedValue(self, node):
        """`{value!r:>{width}}` becomes `{_format_(value, 'r', f'>{width}')}`: the spec is checked first."""
        node = super().visit_FormattedValue(node)
        if node.format_spec is None:
            return node
        args = [node.value, ast.Constant(node.conversion), node.format_spec]
        return ast.copy_location(ast.FormattedValue(value=_call("_format_", args, node), conversion=-1), node)


@lru_cache(maxsize=4096)
def compile_expression(source: str):
    """Compile an expression under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_eval(source.strip(), filename=SCRIPT_FILENAME, policy=_Policy), source)


@lru_cache(maxsize=4096)
def compile_script(source: str):
    """Compile a script under the sandbox rules; raises SyntaxError naming what is refused."""
    return _checked(compile_restricted_exec(source, filename=SCRIPT_FILENAME, policy=_Policy), source)


def _checked(result, source):
    if result.errors:
        raise SyntaxError("; ".join(result.errors))
    return result.code
