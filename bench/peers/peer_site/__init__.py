"""A minimal Django project serving django-helpdesk for the side-by-side bench.

Only our settings and URLs live here; django-helpdesk itself is installed from
PyPI into ``var/bench/peer-venv`` by ``bench/peers/run.py`` and never committed.
"""
