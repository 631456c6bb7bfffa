"""Code that cannot run away, told apart by its syntax tree, so that it runs in process, without a worker.

Most of what a process evaluates is a comparison, a lookup or an assignment: `score >= 4`,
`outcome == "escalate"`, `level = unit_level`, `deadline = add_limit(now(), limit, unit)`. Sending each to a
sandbox worker would cost a round trip of the data through a pipe (bench/sandbox_cost.py). Such code has
no loop, no comprehension, no definition and no call but to the engine's helpers and a few builtins whose
cost grows with their arguments alone; its constants are small and it has few nodes. Its time and the
memory it takes are then bounded by the size of the data it reads times its number of nodes (and `+` by
the size guards, guards.py); the operators that can build something large from small operands (`*`,
`**`, `<<`, `%`) and f-string format specs are left to the worker.
"""

import ast
from functools import lru_cache

#: Builtins that take time in proportion to their arguments and cannot call back into the code.
CHEAP_BUILTINS = frozenset({"abs", "bool", "float", "int", "isinstance", "len", "max", "min", "round", "str"})
#: Methods of data (dicts, strings) that copy nothing.
CHEAP_METHODS = frozenset({"get", "startswith", "endswith"})
MAX_NODES = 200
MAX_CONSTANT_LENGTH = 1_000
MAX_CONSTANT_BITS = 64

_NODES = (
    # expressions
    ast.Expression,
    ast.Compare,
    ast.BoolOp,
    ast.UnaryOp,
    ast.IfExp,
    ast.Name,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Tuple,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.Call,
    ast.keyword,
    ast.BinOp,
    # statements, straight-line
    ast.Module,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Expr,
    ast.If,
    ast.Pass,
    ast.Delete,
    # contexts and operators
    ast.expr_context,
    ast.boolop,
    ast.unaryop,
    ast.cmpop,
    ast.Add,
    ast.Sub,
    ast.Div,
    ast.FloorDiv,
    ast.BitAnd,
    ast.BitOr,
)


@lru_cache(maxsize=4096)
def is_bounded(source: str, mode: str, helpers: frozenset[str]) -> bool:
    """Whether `source` (an "eval" expression or an "exec" script) cannot run away; `helpers` are the
    names of the engine's helper functions it may call."""
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except SyntaxError:
        return False  # the sandbox's compiler says why
    nodes = list(ast.walk(tree))
    return len(nodes) <= MAX_NODES and all(_allowed(node, helpers) for node in nodes)


def _allowed(node, helpers) -> bool:
    if not isinstance(node, _NODES):
        return False
    if isinstance(node, ast.Constant):
        return _small(node.value)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id in CHEAP_BUILTINS or func.id in helpers
        return isinstance(func, ast.Attribute) and func.attr in CHEAP_METHODS
    if isinstance(node, ast.AugAssign | ast.BinOp):
        return isinstance(node.op, ast.Add | ast.Sub | ast.Div | ast.FloorDiv | ast.BitAnd | ast.BitOr)
    return True


def _small(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() <= MAX_CONSTANT_BITS
    if isinstance(value, str | bytes):
        return len(value) <= MAX_CONSTANT_LENGTH
    return True
