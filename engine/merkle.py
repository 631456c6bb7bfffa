"""A Merkle tree as RFC 9162 (Certificate Transparency 2.0, after RFC 6962) defines it: leaf hash
SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), a tree of n leaves split at the largest
power of two below n; and its audit paths (inclusion proofs) and consistency proofs.

Pure functions over stored *perfect* subtrees: the node at (level, position) is the hash of leaves
[position * 2**level, (position + 1) * 2**level). Every range a proof needs starts on a boundary of its
own size's power of two, so it is a handful of perfect nodes (`perfect_keys`), which the caller reads in
one query and passes in as a dict. Appending keeps a stack of the right edge's perfect nodes (`Frontier`).

tools/verify_bundle.py verifies these proofs with its own copy of RFC 9162's algorithms (standard library
only); the tests check one against the other.
"""

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (> 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def perfect_keys(start: int, size: int) -> list[tuple[int, int]]:
    """The perfect nodes (level, position) that make up leaves [start, start + size), left to right."""
    keys = []
    while size:
        level = size.bit_length() - 1
        keys.append((level, start >> level))
        start, size = start + (1 << level), size - (1 << level)
    return keys


def range_hash(start: int, size: int, nodes: dict) -> bytes:
    """MTH of leaves [start, start + size) from its perfect nodes (RFC 9162 folds them right to left)."""
    if size == 0:
        return EMPTY_ROOT
    hashes = [nodes[key] for key in perfect_keys(start, size)]
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int, start: int = 0) -> list[tuple[int, int]]:
    """The ranges (start, size) whose hashes are the audit path of leaf `index` in a tree of `size`
    leaves, in RFC 9162's order (nearest the leaf first): PATH(m, D[n])."""
    if size <= 1:
        return []
    k = _split(size)
    if index < k:
        return inclusion_ranges(index, k, start) + [(start + k, size - k)]
    return inclusion_ranges(index - k, size - k, start + k) + [(start, k)]


def consistency_ranges(old: int, new: int, start: int = 0, whole: bool = True) -> list[tuple[int, int]]:
    """The ranges whose hashes prove that the tree of `old` leaves is a prefix of the one of `new`:
    RFC 9162's SUBPROOF(m, D[n], b)."""
    if old == new:
        return [] if whole else [(start, new)]
    k = _split(new)
    if old <= k:
        return consistency_ranges(old, k, start, whole) + [(start + k, new - k)]
    return consistency_ranges(old - k, new - k, start + k, False) + [(start, k)]


def keys_of(ranges) -> set[tuple[int, int]]:
    """Every perfect node the hashes of `ranges` are made of."""
    return {key for start, size in ranges for key in perfect_keys(start, size)}


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: whether `path` puts leaf hash `leaf` at `index` of the tree of `size` with `root`."""
    if index >= size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: whether `proof` shows the tree of `old` leaves is a prefix of the one of `new`."""
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof and old_root == EMPTY_ROOT
    if old > new:
        return False
    path = [old_root, *proof] if old & (old - 1) == 0 else list(proof)
    if not path:
        return False
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(node, first), node_hash(node, second)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, node)
        fn, sn = fn >> 1, sn >> 1
    return first == old_root and second == new_root and sn == 0


class Frontier:
    """The right edge of a tree: its perfect subtrees (level, hash), largest first. Appending a leaf
    completes the subtrees it closes; each completed node is handed to `made(level, position, hash)`."""

    def __init__(self, size: int, hashes: list[bytes]):
        self.size = size
        levels = [key[0] for key in perfect_keys(0, size)]
        self.stack = list(zip(levels, hashes, strict=True))

    def append(self, leaf: bytes, made) -> None:
        position, level, value = self.size, 0, leaf
        made(0, position, value)
        while self.stack and self.stack[-1][0] == level:
            left = self.stack.pop()[1]
            value, level = node_hash(left, value), level + 1
            made(level, position >> level, value)
        self.stack.append((level, value))
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        result = self.stack[-1][1]
        for _level, left in reversed(self.stack[:-1]):
            result = node_hash(left, result)
        return result
