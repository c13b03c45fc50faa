"""Our spaCy pipeline components, registered by importing this module (see pipeline.py)."""
from . import abbreviations, cues  # noqa: F401
