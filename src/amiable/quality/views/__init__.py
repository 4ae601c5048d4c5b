"""Views of the quality app (the public confirmation pages are in ``public``)."""
