"""BeatCast modelling engine: numpy, pandas, scipy and scikit-learn only (never QGIS or Qt)."""

__version__ = "0.1.0"
