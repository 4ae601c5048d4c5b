"""Business calendars (stored and versioned per team) and the business-hours clock
engine: pure functions in ``business_hours``, ``calendars`` and ``wall_clock``."""
