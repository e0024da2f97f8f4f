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

        # The job worker's heartbeat starts with huey's workers (`mpp worker`): its start-up
        # hook is registered here, in every process; only a consumer runs it (core/heartbeat.py).
        from mpp.core import heartbeat  # noqa: F401
