"""The domain: its tables, fixed words, messages and the rules that need no service around them."""
