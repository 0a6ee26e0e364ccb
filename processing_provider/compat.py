"""The few enum spellings that differ across QGIS 3.22 .. 3.40, in one place."""

from qgis.core import QgsProcessing, QgsProcessingAlgorithm, QgsProcessingParameterNumber

TYPE_VECTOR_POINT = QgsProcessing.SourceType.TypeVectorPoint
TYPE_VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
TYPE_VECTOR_LINE = QgsProcessing.SourceType.TypeVectorLine
TYPE_VECTOR_ANY = QgsProcessing.SourceType.TypeVector
TYPE_FILE = QgsProcessing.SourceType.TypeFile
FLAG_NO_THREADING = QgsProcessingAlgorithm.Flag.FlagNoThreading
FLAG_REQUIRES_PROJECT = QgsProcessingAlgorithm.Flag.FlagRequiresProject
NUMBER_DOUBLE = QgsProcessingParameterNumber.Type.Double
NUMBER_INTEGER = QgsProcessingParameterNumber.Type.Integer
