"""How the engine reports progress and learns of cancellation (the QGIS adapter forwards both)."""


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class Progress:
    """What the engine reports to; the QGIS adapter forwards it to QgsProcessingFeedback."""

    def set_progress(self, percent: float) -> None:
        pass

    def is_canceled(self) -> bool:
        return False

    def info(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass
