"""Our date and time formats per language (FORMAT_MODULE_PATH), where Django's own
read wrong to our users; anything not set here falls back to Django's."""
