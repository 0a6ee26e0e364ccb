"""The engine's progress interface, forwarded to a QgsProcessingFeedback."""

from __future__ import annotations

from ..core.progress import Progress


class EngineProgress(Progress):
    """Maps the engine's 0-100 % onto [start, stop] of the algorithm's progress bar."""

    def __init__(self, feedback, start: float = 0.0, stop: float = 100.0):
        self.feedback = feedback
        self.start = start
        self.stop = stop

    def set_progress(self, percent: float) -> None:
        self.feedback.setProgress(self.start + (self.stop - self.start) * percent / 100.0)

    def is_canceled(self) -> bool:
        return self.feedback.isCanceled()

    def info(self, message: str) -> None:
        self.feedback.pushInfo(message)

    def warn(self, message: str) -> None:
        self.feedback.pushWarning(message)
