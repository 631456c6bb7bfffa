"""The appeal domain in code: units, users, appeal records kept in step with their processes, and the
service layer that the HTTP API, the CLI and the timer worker call. The process itself is data, in
`processes/` and `forms/`; the BPMN runtime is `engine/`.
"""
