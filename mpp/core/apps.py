from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mpp.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from django.urls import register_converter

        from mpp.core.ids import IdConverter

        # Before any urls.py is imported: `path()` reads its converters when it is called.
        register_converter(IdConverter, "id")
