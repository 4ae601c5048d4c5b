"""Realistic French and English demo data (see ``amiable.demo.loader``)."""
