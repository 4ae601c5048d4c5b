"""SLA clocks: business-hours arithmetic on team calendars (pure Python for now)."""
