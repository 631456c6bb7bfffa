"""Schemas of the transparency log's heads and consistency proofs."""

import marshmallow as ma

from .. import validate
from ..framework import QueryArgsSchema

#: The largest tree size a query may name: far beyond any log, small enough for every database integer.
LARGEST_SIZE = 2**62


class TreeHeadSchema(ma.Schema):
    size = ma.fields.Integer(metadata={"description": "How many history events the tree holds"})
    root = ma.fields.String(metadata={"description": "The tree's root hash (RFC 9162), hex"})
    at = ma.fields.String(metadata={"description": "When the head was signed, ISO 8601"})
    key = ma.fields.String(metadata={"description": "The log's Ed25519 public key, hex"})
    signature = ma.fields.String(
        metadata={"description": "Ed25519 over 'appealflow-tree-head/1\\n{size}\\n{root}\\n{at}\\n', hex"}
    )


class ConsistencyQueryArgsSchema(QueryArgsSchema):
    from_ = ma.fields.Integer(
        data_key="from",
        required=True,
        validate=validate.Range(0, LARGEST_SIZE),
        metadata={"description": "The size of an earlier signed head"},
    )
    to = ma.fields.Integer(
        required=True,
        validate=validate.Range(0, LARGEST_SIZE),
        metadata={"description": "The size of a later signed head"},
    )


class ConsistencySchema(ma.Schema):
    from_ = ma.fields.Nested(TreeHeadSchema, data_key="from")
    to = ma.fields.Nested(TreeHeadSchema)
    proof = ma.fields.List(ma.fields.String(), metadata={"description": "RFC 9162's consistency proof, hex"})
