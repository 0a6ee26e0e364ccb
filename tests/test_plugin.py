"""The plugin as QGIS loads it: classFactory, provider registration, the algorithm ids (API), unload."""

import re

import pytest
from algorithm_ids import EXPECTED_ALGORITHM_IDS
from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingRegistry

import beatcast
from beatcast import plugin as plugin_module
from beatcast.processing_provider.provider import algorithm_classes

# Ids are API (models and scripts store them): change this list only with a migration note.
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9_]*$")


class _ApplicationWithOwnRegistry:
    """Stands in for QgsApplication in plugin.py, so register/unload cycles run against a fresh
    registry and never remove the session's provider from the real one."""

    def __init__(self):
        self.registry = QgsProcessingRegistry()

    def processingRegistry(self):
        return self.registry


@pytest.fixture
def own_registry(monkeypatch, qgis_processing):
    algorithm_classes()  # an ImportError here fails the test; inside loadAlgorithms it aborts Python
    application = _ApplicationWithOwnRegistry()
    monkeypatch.setattr(plugin_module, "QgsApplication", application)
    return application.registry


def test_class_factory_without_iface_registers_provider(own_registry):
    # qgis_process loads plugins with iface=None and calls initProcessing only.
    plugin = beatcast.classFactory(None)
    assert plugin.iface is None
    plugin.initProcessing()
    provider = own_registry.providerById("beatcast")
    assert provider is not None
    assert sorted(a.id() for a in provider.algorithms()) == EXPECTED_ALGORITHM_IDS
    plugin.unload()
    assert own_registry.providerById("beatcast") is None


def test_class_factory_with_iface_init_gui_and_unload(qgis_iface, own_registry):
    plugin = beatcast.classFactory(qgis_iface)
    assert plugin.iface is qgis_iface
    plugin.initGui()
    assert own_registry.providerById("beatcast") is not None
    plugin.unload()
    assert own_registry.providerById("beatcast") is None


def test_init_processing_twice_registers_one_provider_and_unload_is_idempotent(own_registry):
    plugin = beatcast.classFactory(None)
    plugin.initProcessing()
    plugin.initProcessing()
    assert [p.id() for p in own_registry.providers()].count("beatcast") == 1
    plugin.unload()
    plugin.unload()
    assert own_registry.providerById("beatcast") is None


def test_provider_is_registered_in_qgis(beatcast_provider):
    assert beatcast_provider.id() == "beatcast"
    assert beatcast_provider.name()
    assert beatcast_provider.longName()
    assert not beatcast_provider.icon().isNull()
    assert QgsApplication.processingRegistry().providerById("beatcast") is not None


def test_exact_algorithm_ids(beatcast_provider):
    assert sorted(a.id() for a in beatcast_provider.algorithms()) == EXPECTED_ALGORITHM_IDS


@pytest.mark.parametrize("algorithm_id", EXPECTED_ALGORITHM_IDS)
def test_algorithm_metadata(beatcast_provider, algorithm_id):
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    assert algorithm is not None, algorithm_id
    assert isinstance(algorithm, QgsProcessingAlgorithm)
    assert algorithm.name() == algorithm.name().lower()
    for text in (
        algorithm.displayName(),
        algorithm.group(),
        algorithm.groupId(),
        algorithm.shortHelpString(),
    ):
        assert text and text.strip(), f"{algorithm_id}: empty displayName/group/groupId/shortHelpString"
    instance = algorithm.createInstance()
    assert type(instance) is type(algorithm)
    instance.initAlgorithm()
    names = [p.name() for p in instance.parameterDefinitions()] + [
        o.name() for o in instance.outputDefinitions()
    ]
    assert names, f"{algorithm_id} declares no parameters or outputs"
    assert not [n for n in names if not UPPER_SNAKE.match(n)], f"{algorithm_id}: names must be UPPER_SNAKE"
