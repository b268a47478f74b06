"""Places named in free text: "Polis kallas till Björns trädgård på Södermalm" -> Södermalm.

The police's events carry only the municipality's centre as coordinates, but their title and
summary often name the district or locality where it happened. A ``Gazetteer`` holds the
names of the municipality's areas (and their aliases) and of its bundled localities and finds
the first of them in a text:

- whole words only: "Ekerö" is not found in "Ekerövägen", "Bro" not in "Brommaplan";
- Swedish case: any letter case, and the genitive ("Södermalms tunnelbanestation");
- a name starts with a capital letter where it stands, so the common words some places are
  named after ("bro", "sand") are not taken for the place;
- the longest name wins where several start at the same place ("Farsta strand" over
  "Farsta"), the first place named wins over later ones;
- the municipality's own name places nothing (it is what the police's coordinates say already).

An area name gives the area and its centre; a locality gives its own point and the area it
lies in. Both have location precision 'locality': counted in the area, never a hotspot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from safetycore import geo

AREA = "area"  # found by an area's name or alias
LOCALITY = "locality"  # found by a bundled locality's name


@dataclass(frozen=True)
class Place:
    name: str  # as the area or locality is called (not as the text wrote it)
    area_id: str
    lat: float
    lon: float
    how: str  # AREA or LOCALITY


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class Gazetteer:
    """The places of one municipality, matched as whole words (see the module's notes)."""

    def __init__(self, places: list[tuple[str, Place]], municipality: str = ""):
        excluded = _key(municipality)
        self._by_key: dict[str, Place] = {}
        self._pattern: re.Pattern[str] | None
        for written, place in places:  # the first entry for a name wins: areas before localities
            key = _key(written)
            if key and key != excluded and key not in self._by_key:
                self._by_key[key] = place
        names = sorted(self._by_key, key=len, reverse=True)
        if names:
            alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:s|'s)?(?!\w)", re.IGNORECASE)
        else:
            self._pattern = None

    def __len__(self) -> int:
        return len(self._by_key)

    def find(self, *texts: str | None) -> Place | None:
        """The first place named in the texts (in the order given), or None."""
        if self._pattern is None:
            return None
        for text in texts:
            if not text:
                continue
            for m in self._pattern.finditer(text):
                written = m.group(0)
                if not written[:1].isupper():
                    continue
                key = _key(written)
                place = self._by_key.get(key)
                if place is None:  # the genitive: Södermalms, Kista's
                    place = self._by_key.get(key.removesuffix("'s")) or self._by_key.get(key[:-1])
                if place is not None:
                    return place
        return None


def gazetteer(
    areas: list[geo.Area], area_centres: dict[str, tuple[float, float]], municipality: str
) -> Gazetteer:
    """The gazetteer of a database: its areas' names and aliases, then the bundled localities
    of its municipality that lie in one of its areas."""
    entries: list[tuple[str, Place]] = []
    for a in areas:
        lat, lon = area_centres.get(a.id) or (
            a.geometry.representative_point().y,
            a.geometry.representative_point().x,
        )
        place = Place(a.name, a.id, lat, lon, AREA)
        entries.append((a.name, place))
        entries.extend((alias, place) for alias in a.aliases)
    localities = geo.bundled_localities(municipality)
    if localities and areas:
        lat = np.array([p.lat for p in localities])
        lon = np.array([p.lon for p in localities])
        inside = geo.area_index(lat, lon, areas)
        for loc, idx in zip(localities, inside.tolist(), strict=True):
            if idx >= 0:
                entries.append(
                    (loc.name, Place(loc.name, areas[idx].id, loc.lat, loc.lon, LOCALITY))
                )
    return Gazetteer(entries, municipality)
