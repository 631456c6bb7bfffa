"""The use cases: what the HTTP API, the CLI and the timer worker call, one transaction each."""
