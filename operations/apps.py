from datetime import timedelta

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operations import tasks
        from operations.schedule import register_periodic

        register_periodic(tasks.deliver_outbox, every=timedelta(seconds=30))
        register_periodic(tasks.prune_finished_tasks, every=timedelta(hours=6))
