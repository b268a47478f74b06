"""Categories and sources: stable English codes in the database, Swedish and English labels.

``kind`` is ``incident`` (crime) or ``qol`` (quality-of-life offence, livskvalitetsbrott).
``sensitive`` categories are never drawn as points or cells and are hidden in meeting mode.

The categories and the type maps of the known formats (the police's events API,
data.police.uk) live in data files, ``data/taxonomy/*.toml``; a municipality adds categories
or maps more types in files of the same form in ``data/taxonomy.local/`` (or the folder
``$SAFETY_TAXONOMY_DIR`` names), merged over the bundled ones and validated on load: a wrong
file stops with a message naming the file, the entry and what to write instead.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from safetycore import queries
from safetycore.errors import UsageError

TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "data" / "taxonomy"
LOCAL_DIR_ENV = "SAFETY_TAXONOMY_DIR"
LOCAL_DIR = TAXONOMY_DIR.parent / "taxonomy.local"
SKIP = "-"  # a type map value meaning "not an incident: skip the row" (as ingest.common.SKIP)
OTHER_CODES = ("other_incident", "other_qol")  # where unknown types of a known format go
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    label_sv: str
    label_en: str
    sensitive: bool = False


@dataclass(frozen=True)
class Source:
    code: str
    label_sv: str
    label_en: str


CATEGORIES: tuple[Category, ...] = ()  # loaded from the data files below

SOURCES: tuple[Source, ...] = (
    Source("police", "Polisen", "Police"),
    Source("security_guards", "Ordningsvakter och väktare", "Security guards"),
    Source("field_coordinators", "Fältsamordnare", "Field coordinators"),
    Source("schools", "Skolor", "Schools"),
    Source("social_services", "Socialtjänsten", "Social services"),
    Source("property", "Fastighet", "Property"),
    Source("public_transport", "Kollektivtrafik", "Public transport"),
    Source("street_park", "Gata och park", "Street and park"),
    Source("municipal_staff", "Kommunens personal", "Municipal staff"),
)

KINDS = ("incident", "qol")


class TaxonomyError(UsageError):
    """A category or type-map file cannot be used; the message says which entry and why."""


def local_dir() -> Path:
    return Path(os.environ.get(LOCAL_DIR_ENV) or LOCAL_DIR)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"Cannot read {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path} is not valid TOML: {exc}") from exc


def _label(value, path: Path, code: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        raise TaxonomyError(
            f'{path}: [{code}] needs {key} = "...", a label of 1 to 80 '
            f"characters ({'Swedish' if key == 'sv' else 'English'})."
        )
    return value.strip()


def load_categories(paths: list[Path] | None = None) -> tuple[Category, ...]:
    """The categories of the bundled file and the local one (a local entry with a known code
    replaces it, a new code is added after the bundled ones), validated."""
    if paths is None:
        paths = [TAXONOMY_DIR / "categories.toml", local_dir() / "categories.toml"]
    found: dict[str, Category] = {}
    for number, path in enumerate(paths):
        if not path.exists():
            if number == 0:
                raise TaxonomyError(f"The category file {path} is missing; reinstall the program.")
            continue
        for code, entry in _read_toml(path).items():
            if not _CODE.match(code):
                raise TaxonomyError(
                    f"{path}: [{code}] is not a category code; use lower-case "
                    "letters, digits and _ (e.g. [moped_theft])."
                )
            if not isinstance(entry, dict):
                raise TaxonomyError(
                    f"{path}: {code} must be a table [{code}] with kind, sv and en."
                )
            unknown = set(entry) - {"kind", "sv", "en", "sensitive"}
            if unknown:
                raise TaxonomyError(
                    f"{path}: [{code}] has unknown keys {', '.join(sorted(unknown))}; "
                    "a category has kind, sv, en and optionally sensitive."
                )
            kind = entry.get("kind")
            if kind not in KINDS:
                raise TaxonomyError(
                    f'{path}: [{code}] kind must be "incident" or "qol", not {kind!r}.'
                )
            sensitive = entry.get("sensitive", False)
            if not isinstance(sensitive, bool):
                raise TaxonomyError(
                    f"{path}: [{code}] sensitive must be true or false, not {sensitive!r}."
                )
            found[code] = Category(
                code,
                kind,
                _label(entry.get("sv"), path, code, "sv"),
                _label(entry.get("en"), path, code, "en"),
                sensitive,
            )
    for code in OTHER_CODES:
        if code not in found:
            raise TaxonomyError(
                f"The categories lack {code!r}, where unknown types go; "
                f"keep [{code}] in {paths[0]}."
            )
    return tuple(found.values())


def norm_type(text) -> str:
    """A type-map key: case- and whitespace-insensitive (as ingest.common.norm_key)."""
    return _WS.sub(" ", str(text)).strip().casefold()


@dataclass(frozen=True)
class TypeMap:
    """A known format's types -> category codes (SKIP: not an incident); ``unknown`` is where
    a type in neither list goes."""

    name: str
    types: dict[str, str] = field(default_factory=dict)  # normalised type -> code or SKIP
    unknown: str = "other_incident"

    def category(self, raw) -> str:
        return self.types.get(norm_type(raw), self.unknown)


def load_type_map(
    name: str, categories: tuple[Category, ...] | None = None, paths: list[Path] | None = None
) -> TypeMap:
    """The type map ``name`` (polisen, police_uk): bundled file, then the local one over it."""
    codes = {c.code for c in (categories if categories is not None else CATEGORIES)}
    if paths is None:
        paths = [TAXONOMY_DIR / f"{name}.toml", local_dir() / f"{name}.toml"]
    types: dict[str, str] = {}
    unknown = "other_incident"
    for number, path in enumerate(paths):
        if not path.exists():
            if number == 0:
                raise TaxonomyError(f"The type map {path} is missing; reinstall the program.")
            continue
        data = _read_toml(path)
        extra = set(data) - {"unknown", "types", "skip"}
        if extra:
            raise TaxonomyError(
                f"{path}: unknown sections {', '.join(sorted(extra))}; a type map "
                'has unknown = "code", [types] and [skip] types = [...].'
            )
        if "unknown" in data:
            unknown = data["unknown"]
            if unknown not in codes:
                raise TaxonomyError(
                    f"{path}: unknown = {unknown!r} is not a category; use one of "
                    f"{', '.join(OTHER_CODES)} or a code in categories.toml."
                )
        mapped = data.get("types", {})
        if not isinstance(mapped, dict):
            raise TaxonomyError(f'{path}: [types] must be a table of "type" = "category code".')
        for raw, code in mapped.items():
            if not isinstance(code, str) or (code not in codes and code != SKIP):
                raise TaxonomyError(
                    f"{path}: [types] {raw!r} = {code!r} is not a category code; "
                    'add the category to categories.toml first, or write "-" '
                    "for a type that is not an incident."
                )
            types[norm_type(raw)] = code
        skip = data.get("skip", {})
        skip_types = skip.get("types", []) if isinstance(skip, dict) else None
        if not isinstance(skip_types, list) or not all(isinstance(t, str) for t in skip_types):
            raise TaxonomyError(f'{path}: [skip] must hold types = ["type", ...] (text only).')
        for raw in skip_types:
            types[norm_type(raw)] = SKIP
    if unknown not in codes:
        raise TaxonomyError(f"The type map {name}: unknown = {unknown!r} is not a category.")
    return TypeMap(name=name, types=types, unknown=unknown)


CATEGORIES = load_categories()
_TYPE_MAPS: dict[str, TypeMap] = {}


def type_map(name: str) -> TypeMap:
    """The loaded type map of a format (read once per process, validated)."""
    if name not in _TYPE_MAPS:
        _TYPE_MAPS[name] = load_type_map(name)
    return _TYPE_MAPS[name]


KIND_LABELS = {
    "incident": {"sv": "Brott och incidenter", "en": "Incidents"},
    "qol": {"sv": "Livskvalitetsbrott", "en": "Quality-of-life offences"},
}
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
SOURCE_BY_CODE = {s.code: s for s in SOURCES}
SENSITIVE_CODES = frozenset(c.code for c in CATEGORIES if c.sensitive)


def category_label(code: str, lang: str) -> str:
    cat = CATEGORY_BY_CODE.get(code)
    if cat is None:
        return code
    return cat.label_sv if lang == "sv" else cat.label_en


def source_label(code: str, lang: str) -> str:
    src = SOURCE_BY_CODE.get(code)
    if src is None:
        return code
    return src.label_sv if lang == "sv" else src.label_en


def kind_label(kind: str, lang: str) -> str:
    return KIND_LABELS.get(kind, {}).get(lang, kind)


def seed_taxonomy(cur) -> None:
    """Insert or update the categories and sources (inside the caller's transaction).

    Incidents carry their category's sensitivity (copied when written), so the incidents of a
    category that became sensitive are marked here, in the same transaction. A category that
    stopped being sensitive leaves its incidents as they are: hiding stays the safe side."""
    was_sensitive = {
        code: sensitive
        for code, _, _, _, sensitive in queries.execute(cur, "categories").fetchall()
    }
    for order, c in enumerate(CATEGORIES):
        queries.execute(
            cur,
            "taxonomy_category_upsert",
            code=c.code,
            kind=c.kind,
            sv=c.label_sv,
            en=c.label_en,
            sensitive=c.sensitive,
            order=order,
        )
    for order, s in enumerate(SOURCES):
        queries.execute(
            cur, "taxonomy_source_upsert", code=s.code, sv=s.label_sv, en=s.label_en, order=order
        )
    newly = [c.code for c in CATEGORIES if c.sensitive and not was_sensitive.get(c.code, False)]
    if newly:
        queries.execute(cur, "taxonomy_incidents_mark_sensitive", codes=newly)
