from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amiable.core"
    label = "core"
