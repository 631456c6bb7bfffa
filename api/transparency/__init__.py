"""The transparency log: signed tree heads and the proofs between them."""
