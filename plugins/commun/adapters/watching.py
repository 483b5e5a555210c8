"""`mkdocs serve` told of an edit by the system as it is saved, rather than by polling the disk."""

from __future__ import annotations

import logging
from typing import Any

from watchdog.events import (
    FileAttribEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.commun")

CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileAttribEvent,
]
"""What a file's change is: MkDocs rebuilds at any event, and the platform's observer also reports a file
opened or closed unchanged, as every rebuild does to the content: each rebuild would start another.
(`touch` changes attributes only: it asks for a rebuild, as it did with MkDocs' polling.)"""


QUIET_AFTER_SAVE = 0.05
"""Seconds without a change before rebuilding (MkDocs: 0.1): a save's notifications all come within a few
milliseconds, where polling could see one save across two rounds."""


def notified(server: Any) -> None:
    """Give the preview's server the platform's own file observer (inotify, FSEvents, ReadDirectoryChangesW)
    in place of the polling one MkDocs 1.6 gives it, with the same watches, before it starts.

    MkDocs polls every watched folder each half second, then waits a tenth of a second: an edit waited
    0.35 s on average before the preview even started to rebuild, and the polling thread stat-ed every
    file of the content all along, slowing down the rebuild it was waiting for. Where the platform's
    observer cannot watch these folders (no inotify watch left, a file system without notifications),
    MkDocs' polling stays. ProperDocs' server is MkDocs' own: the same applies.
    """
    polling = getattr(server, "observer", None)
    handlers = getattr(polling, "_handlers", None)
    if type(polling) is not PollingObserver or polling.is_alive() or not isinstance(handlers, dict):
        return
    watches = [(handler, watch.path, watch.is_recursive) for watch, each in handlers.items() for handler in each]
    if not watches or not _can_watch({path: recursive for _, path, recursive in watches}):
        log.debug("Aperçu : le système de fichiers ne signale pas les modifications, MkDocs les relève")
        return
    native = Observer()
    for handler, path, recursive in watches:
        native.schedule(handler, path, recursive=recursive, event_filter=CHANGES)
    server.observer = native
    server.build_delay = QUIET_AFTER_SAVE


def _can_watch(paths: dict[str, bool]) -> bool:
    """Whether the platform's observer starts on these paths: it fails only when started (inside MkDocs'
    server, which would then stop), so it is tried once here and stopped."""
    trial: BaseObserver = Observer()
    try:
        for path, recursive in paths.items():
            trial.schedule(FileSystemEventHandler(), path, recursive=recursive)
        trial.start()
    except OSError:
        trial.unschedule_all()
        return False
    trial.stop()
    trial.join()
    return True
