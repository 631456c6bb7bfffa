"""Users, for administrators: one-time set-password links."""
