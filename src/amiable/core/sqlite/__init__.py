"""SQLite with writers queued inside each process (see ``base.py``)."""
