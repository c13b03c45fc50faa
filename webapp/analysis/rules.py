"""The engine's named rules: each can be switched off, so `dramatis eval --ablate` can show
what it is worth on every evaluation set (issue 15)."""
from __future__ import annotations

import contextlib
from contextvars import ContextVar

# Every rule that changes what is found, typed or grouped, with what it does. A rule that
# changes only an entity's label or notes is not here: the scores cannot see it.
RULES = {
    "languages": "a demonym that names a language (\"spoke German\") is no country",
    "portfolios": "\"Secretary of [State]\": a portfolio in a job title is no organisation",
    "credits": "names in a caption's credit are agencies or photographers",
    "propagate": "a known name is found where the model missed it",
    "merge-people": "two spellings of one person's full name are one entity",
    "lone-names": "a lone surname or given name joins the person who bears it",
    "defined-names": "an abbreviation the text defines by a name joins that name's entity",
    "entity-cues": "what the text calls a name (apposition, \"is a\", head noun, roles) decides its type",
}

_off: ContextVar[frozenset[str]] = ContextVar("dramatis_rules_off", default=frozenset())


def on(name: str) -> bool:
    """Whether rule `name` applies (all do, unless switched off)."""
    return name not in _off.get()


@contextlib.contextmanager
def switched_off(*names: str):
    """Run the analysis without the named rules (for ablation; not thread-shared)."""
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise KeyError(f"no such rule: {', '.join(unknown)}")
    token = _off.set(_off.get() | frozenset(names))
    try:
        yield
    finally:
        _off.reset(token)
