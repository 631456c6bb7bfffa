"""The appeal domain in code, in four layers: `domain/` (tables, fixed words, messages and rules),
`services/` (what the HTTP API, the CLI and the timer worker call), `adapters/` (database, unit of work,
files, logs, CLI and server) and `reports/` (statistics and the monthly study). The process itself is
data, in `processes/` and `forms/`; the BPMN runtime is `engine/`.
"""
