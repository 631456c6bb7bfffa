"""The working-day calendar, for administrators."""
