"""Placeholder, replaced below."""


def panels_register() -> None:
    return None
