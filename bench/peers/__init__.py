"""Side-by-side bench against django-helpdesk (``bench/peers/run.py``)."""
