"""Runs Processing algorithms one after the other as background tasks, loading each one's outputs.

Each step is a QgsProcessingAlgRunnerTask in QGIS's task manager; the next step starts from the previous
one's ``executed`` signal (on the main thread), after the finished step's layers were loaded into the
project by Processing's own post-processing (so the algorithms' styling post-processors apply, exactly as
when run from the toolbox). A step's parameters may be a callable of the results so far.
"""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingFeedback, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..processing_provider.i18n import tr


class ProcessingChain(QObject):
    """``steps``: (algorithm id, parameters or f(results so far) -> parameters). Signals: ``progress``
    (0-100 over the whole chain), ``step`` (text), ``finished`` (ok, {algorithm id: results}, message)."""

    progress = pyqtSignal(float)
    step_progress = pyqtSignal(float)  # fed from the worker thread; queued into this object's thread
    step = pyqtSignal(str)
    finished = pyqtSignal(bool, dict, str)

    def __init__(self, steps: list[tuple[str, dict | Callable[[dict], dict]]], parent=None):
        super().__init__(parent)
        self.steps = steps
        self.results: dict[str, dict] = {}
        self.index = -1
        self.task = None
        self.context = None
        self.algorithm = None
        self.feedback = None
        self.running = False
        self.canceled = False
        self.step_progress.connect(self._on_step_progress)

    def start(self) -> None:
        self.running = True
        self._next()

    def cancel(self) -> None:
        self.canceled = True
        if self.feedback is not None:
            self.feedback.cancel()
        if self.task is not None:
            self.task.cancel()

    def _on_step_progress(self, value: float) -> None:
        n = max(len(self.steps), 1)
        self.progress.emit(100.0 * (max(self.index, 0) + min(max(value, 0.0), 100.0) / 100.0) / n)

    def _finish(self, ok: bool, message: str) -> None:
        self.running = False
        self.task = None
        self.finished.emit(ok, self.results, message)

    def _next(self) -> None:
        from processing.tools import dataobjects

        self.index += 1
        if self.canceled:
            self._finish(False, tr("Canceled"))
            return
        if self.index >= len(self.steps):
            self.progress.emit(100.0)
            self._finish(True, tr("{} steps done").format(len(self.steps)))
            return
        algorithm_id, parameters = self.steps[self.index]
        if callable(parameters):
            parameters = parameters(self.results)
        registry = QgsApplication.processingRegistry()
        self.algorithm = registry.createAlgorithmById(algorithm_id)
        if self.algorithm is None:
            self._finish(False, tr("Algorithm {} is not available").format(algorithm_id))
            return
        self.feedback = QgsProcessingFeedback()
        self.feedback.progressChanged.connect(self.step_progress)
        self.context = dataobjects.createContext(self.feedback)
        self.context.setProject(QgsProject.instance())
        self.step.emit(self.algorithm.displayName())
        self.parameters = parameters
        self.task = QgsProcessingAlgRunnerTask(self.algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(self._executed)
        QgsApplication.taskManager().addTask(self.task)

    def _executed(self, ok: bool, results: dict) -> None:
        from processing.gui.Postprocessing import handleAlgorithmResults

        algorithm_id = self.algorithm.id()
        if not ok:
            log = [line for line in self.feedback.textLog().splitlines() if line.strip()]
            reason = log[-1] if log else ""
            message = tr("Canceled") if self.canceled else tr("{} failed: {}").format(algorithm_id, reason)
            self._finish(False, message)
            return
        self.results[algorithm_id] = dict(results)
        handleAlgorithmResults(self.algorithm, self.context, self.feedback, False, self.parameters)
        self._next()

    def wait(self, timeout_ms: int = 600_000) -> bool:
        """Spin the event loop until the chain finishes (tests and scripts); returns whether it finished."""
        import time

        end = time.monotonic() + timeout_ms / 1000
        while self.running and time.monotonic() < end:
            QgsApplication.processEvents()
            time.sleep(0.02)
        return not self.running
