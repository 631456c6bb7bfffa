"""The transparency log's tree is RFC 9162's: roots, audit paths and consistency proofs as its recursive
definitions give them, verified by the engine and by tools/verify_bundle.py alike."""

import hashlib

import pytest

from engine import merkle
from tools import verify_bundle

SIZES = range(1, 34)


def mth(leaves):
    """RFC 9162, 2.1.1, word for word: the reference the stored-node version is held against."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return merkle.leaf_hash(leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def stored(leaves):
    """The nodes a log of `leaves` stores, made by appending them one by one."""
    nodes = {}
    frontier = merkle.Frontier(0, [])

    def keep(level, position, value):
        nodes[level, position] = value

    for item in leaves:
        frontier.append(merkle.leaf_hash(item), keep)
    return frontier, nodes


def proof(ranges, nodes):
    return [merkle.range_hash(start, size, nodes) for start, size in ranges]


LEAVES = [f"event {i}".encode() for i in range(max(SIZES))]


@pytest.mark.parametrize("size", SIZES)
def test_the_root_from_stored_nodes_is_rfc_9162s_root(size):
    frontier, nodes = stored(LEAVES[:size])
    assert frontier.root() == merkle.range_hash(0, size, nodes) == mth(LEAVES[:size])


@pytest.mark.parametrize("size", SIZES)
def test_every_leaf_has_an_audit_path_both_verifiers_accept_and_no_other_leaf_passes(size):
    _, nodes = stored(LEAVES[:size])
    root = mth(LEAVES[:size])
    for index in range(size):
        path = proof(merkle.inclusion_ranges(index, size), nodes)
        leaf = merkle.leaf_hash(LEAVES[index])
        assert merkle.verify_inclusion(index, size, leaf, path, root)
        assert verify_bundle.verify_inclusion(index, size, leaf, path, root)
        assert not verify_bundle.verify_inclusion(index, size, merkle.leaf_hash(b"rewritten"), path, root)
        if size > 1:
            assert not verify_bundle.verify_inclusion((index + 1) % size, size, leaf, path, root)


@pytest.mark.parametrize("new", SIZES)
def test_a_consistency_proof_between_any_two_sizes_verifies_and_fails_after_a_rewrite(new):
    _, nodes = stored(LEAVES[:new])
    for old in range(1, new + 1):
        path = proof(merkle.consistency_ranges(old, new), nodes)
        old_root, new_root = mth(LEAVES[:old]), mth(LEAVES[:new])
        assert merkle.verify_consistency(old, new, old_root, new_root, path)
        assert verify_bundle.verify_consistency(old, new, old_root, new_root, path)
        rewritten = [*LEAVES[: old - 1], b"rewritten", *LEAVES[old:new]]
        assert not verify_bundle.verify_consistency(old, new, old_root, mth(rewritten), path)
        assert not merkle.verify_consistency(old, new, old_root, mth(rewritten), path)
        if path:
            assert not verify_bundle.verify_consistency(old, new, old_root, new_root, path[:-1])
