"""The outside world: database connections, the unit of work, files on disk, logs, the CLI and the server."""
