"""The UI's single door to client data: the runner (`Operations`, its threads and the `changed` signal) and
the named operations per noun in `answers`, `roadmap`, `assessments`, `clients`, `library`, `reports` and
`backups`."""

from ui.operations.runner import (ClientWorker, Operations, TaskThread, WorkerContext,  # noqa: F401
                                  error_message)
