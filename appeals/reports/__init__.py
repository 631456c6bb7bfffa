"""Read-only figures and pages for leaders: statistics and the monthly study."""
