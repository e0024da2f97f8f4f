"""Service search that forgives case, accents, affixes and everyday words.

Both the index and the query go through the same pipeline: fold (case, accents, punctuation),
map everyday spellings to catalogue words, stem with Sastrawi (Indonesian affixes: "kelahiran"
and "lahir" meet) and, in the query only, drop filler words ("cara bikin", "syarat").

The catalogue of a regency is a few hundred services, so ranking runs over one narrow
`values_list` query (no model instances); bench/search_bench.py measures it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from mpp.core.text import fold

if TYPE_CHECKING:
    from mpp.catalog.models import Service, ServiceQuerySet

# Everyday spellings -> catalogue words (after folding, before stemming).
SYNONYMS: dict[str, str] = {
    "ektp": "ktp",
    "pasport": "paspor",
    "passport": "paspor",
    "pasfor": "paspor",
    "menikah": "nikah",
    "lahiran": "lahir",
    "meninggal": "mati",
    "wafat": "mati",
    "ktp2": "ktp",
}
# Phrases a citizen types in English -> the catalogue's Indonesian words (folded, whole
# words, longest first). The index goes through the same map, so an English word in a name
# ("e-Court", "merchant") is read the same way on both sides.
ENGLISH: dict[str, str] = {
    "birth certificate": "akta kelahiran",
    "death certificate": "akta kematian",
    "marriage certificate": "akta perkawinan",
    "divorce certificate": "akta perceraian",
    "certificate of birth": "akta kelahiran",
    "family card": "kartu keluarga",
    "family register": "kartu keluarga",
    "family registration": "kartu keluarga",
    "identity card": "ktp",
    "id card": "ktp",
    "national id": "ktp",
    "child id": "kia",
    "child identity card": "kia",
    "driving licence": "sim",
    "driving license": "sim",
    "driver license": "sim",
    "drivers license": "sim",
    "driver s license": "sim",
    "police clearance": "skck",
    "police certificate": "skck",
    "police record": "skck",
    "good conduct": "skck",
    "building permit": "persetujuan bangunan gedung",
    "business licence": "nib",
    "business license": "nib",
    "business permit": "nib",
    "business registration": "nib",
    "land certificate": "sertipikat tanah",
    "land title": "sertipikat tanah",
    "vehicle tax": "pajak kendaraan",
    "car tax": "pajak kendaraan",
    "property tax": "pbb",
    "land tax": "pbb",
    "tax number": "npwp",
    "tax id": "npwp",
    "health insurance": "jkn",
    "bank account": "rekening",
    "job seeker": "pencari kerja",
    "new connection": "pasang baru",
    "moving house": "pindah",
    "marriage": "nikah",
    "wedding": "nikah",
    "electricity": "listrik",
    "pension": "pensiun",
    "birth": "lahir",
    "death": "mati",
    "tax": "pajak",
    "vehicle": "kendaraan",
}
# A phrase of the catalogue and its usual abbreviation: a text holding the phrase also holds
# the abbreviation, so "kk" finds every service about the Kartu Keluarga, named so or not.
ABBREVIATIONS: dict[str, str] = {
    "kartu keluarga": "kk",
    "kartu tanda penduduk": "ktp",
    "kartu identitas anak": "kia",
    "surat izin mengemudi": "sim",
    "surat keterangan catatan kepolisian": "skck",
    "nomor induk berusaha": "nib",
    "persetujuan bangunan gedung": "pbg",
    "sertifikat laik fungsi": "slf",
    "nomor pokok wajib pajak": "npwp",
    "jaminan kesehatan nasional": "jkn",
}
_ENGLISH_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(ENGLISH, key=len, reverse=True)) + r")\b"
)
_ABBREVIATION_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in ABBREVIATIONS) + r")\b")
# Stems that mean the same to a citizen ("perkawinan" -> "kawin" -> "nikah").
STEM_SYNONYMS: dict[str, str] = {
    "kawin": "nikah",
    "meni": "nikah",  # Sastrawi reads "menikah" as me-ni-kah
    "akte": "akta",
}
# Filler words of a question, compared after stemming ("pembuatan" -> "buat").
STOPWORDS: frozenset[str] = frozenset(
    """
    buat bikin urus cara syarat layan mohon apa bagaimana gimana yang dan atau di ke dari
    untuk saya aku kami mau ingin tolong dong ya ini itu bisa mana dimana gmn utk yg dgn
    dengan tentang info informasi prosedur proses
    """.split()
)
_FIELD_SEPARATOR = " | "
_MIN_FUZZY_LENGTH = 4


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # loads a dictionary: lazily

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Sastrawi stem of one folded word; digits and short abbreviations stay as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer().stem(word)) or word


def terms(text: str) -> list[str]:
    """Folded, synonym-mapped, stemmed words of `text`, in order, without duplicates."""
    out: list[str] = []
    folded = _ENGLISH_RE.sub(lambda m: ENGLISH[m.group(1)], fold(text))
    folded = _ABBREVIATION_RE.sub(lambda m: f"{m.group(1)} {ABBREVIATIONS[m.group(1)]}", folded)
    for word in folded.split():
        for part in SYNONYMS.get(word, word).split():
            t = stem(part)
            t = STEM_SYNONYMS.get(t, t)
            if t and t not in out:
                out.append(t)
    return out


def query_terms(query: str) -> list[str]:
    """The terms a citizen's query asks for: `terms` without filler words and single letters."""
    found = [t for t in terms(query) if t not in STOPWORDS and len(t) > 1]
    return found


def query_letters(query: str) -> list[str]:
    """Single letters and digits of a query ("sim c", "sim b 1"): they rank, never filter."""
    return [t for t in terms(query) if len(t) == 1]


def index_text(service: Service) -> str:
    """The stored search text of a service: name | keywords | tenant | product, requirements."""
    tenant = service.tenant
    fields = [
        terms(service.name),
        terms(service.keywords),
        terms(f"{tenant.short_name} {tenant.name}"),
        terms(" ".join([service.product, *service.requirements])),
    ]
    return _FIELD_SEPARATOR.join(" ".join(f) for f in fields)


@dataclass(frozen=True)
class Hit:
    id: int
    name: str
    tenant: str
    tenant_id: int
    score: int


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    terms: list[str]
    is_partial: bool  # no service matched every term; these match some of them
    # Services that hold the words only in their product or requirements, when others hold one
    # in their name, keywords or tenant: "ktp" is a requirement of most services; the KTP
    # services are the hits, these come after them (the page folds them away).
    also: list[Hit] = field(default_factory=list)

    @property
    def all_hits(self) -> list[Hit]:
        return self.hits + self.also


# Weights of a term found in each field of the index, in order; +1 for a whole-word match.
_WEIGHTS = (4, 3, 1, 1)
_OWN_FIELDS = 3  # name, keywords, tenant: what a service is, not what it asks for
_BEST = _WEIGHTS[0] + 1


@lru_cache(maxsize=50_000)
def _fields(search_text: str) -> tuple[tuple[frozenset[str], str], ...]:
    """A stored search text as (word set, " w1 w2 ") per field; cached, the texts rarely change."""
    parts = search_text.split(_FIELD_SEPARATOR)
    parts += [""] * (len(_WEIGHTS) - len(parts))
    return tuple((frozenset(p.split()), f" {p} ") for p in parts[: len(_WEIGHTS)])


def _term_score(
    term: str, fields: tuple[tuple[frozenset[str], str], ...], *, whole_word: bool = False
) -> int:
    best = 0
    prefix = " " + term
    for weight, (word_set, joined) in zip(_WEIGHTS, fields, strict=True):
        if term in word_set:
            best = max(best, weight + 1)
        elif best < weight and not whole_word and prefix in joined:
            best = weight
        if best == _BEST:
            break
    return best


def search_services(query: str, services: ServiceQuerySet) -> SearchResult:
    """Rank `services` (already scoped to active ones and perhaps one mall) for `query`."""
    rows = list(
        services.values_list("id", "name", "tenant__short_name", "tenant_id", "search_text")
    )
    wanted = query_terms(query)
    if not wanted:
        hits = [Hit(r[0], r[1], r[2], r[3], 0) for r in rows]
        hits.sort(key=lambda h: (h.tenant, h.name))
        return SearchResult(hits=hits, terms=[], is_partial=False)

    parsed = [(r, _fields(r[4])) for r in rows]
    wanted = _correct_typos(wanted, [r[4] for r in rows])
    exact = _abbreviations(wanted)
    letters = query_letters(query)

    full: list[tuple[int, Hit]] = []
    own: set[int] = set()  # services holding a word in their name, keywords or tenant
    partial: list[tuple[int, int, Hit]] = []
    for row, fields in parsed:
        scores = [_term_score(t, fields, whole_word=t in exact) for t in wanted]
        matched = sum(1 for s in scores if s)
        if not matched:
            continue
        named = sum(1 for t in wanted if _in_field(t, fields[0], whole_word=t in exact))
        bonus = sum(1 for letter in letters if letter in fields[0][0])
        hit = Hit(row[0], row[1], row[2], row[3], sum(scores) + bonus)
        if matched == len(wanted):
            full.append((named, hit))
            if any(
                _in_field(t, f, whole_word=t in exact) for t in wanted for f in fields[:_OWN_FIELDS]
            ):
                own.add(hit.id)
        else:
            partial.append((matched, named, hit))
    # Services whose own name holds more of the query's words come first ("akta kelahiran anak":
    # the birth certificate, whose name holds two, before a child's legitimation, which holds one
    # and finds the others in its requirements), then the whole score, then the shorter name.
    if full:
        full.sort(key=lambda nh: (-nh[0], -nh[1].score, len(nh[1].name), nh[1].name))
        ranked = [h for _, h in full]
        if not own:
            return SearchResult(hits=ranked, terms=wanted, is_partial=False)
        return SearchResult(
            hits=[h for h in ranked if h.id in own],
            terms=wanted,
            is_partial=False,
            also=[h for h in ranked if h.id not in own],
        )
    partial.sort(key=lambda m: (-m[0], -m[1], -m[2].score, len(m[2].name), m[2].name))
    return SearchResult(hits=[h for _, _, h in partial], terms=wanted, is_partial=True)


def _in_field(term: str, field: tuple[frozenset[str], str], *, whole_word: bool = False) -> bool:
    """Whether a field holds `term` as a word or as the start of one (as `_term_score` counts)."""
    return term in field[0] or (not whole_word and (" " + term) in field[1])


_MAX_ABBREVIATION = 3


def _abbreviations(wanted: list[str]) -> set[str]:
    """The short terms ("sim", "kk"): they match whole words only.

    A prefix match lets "akta" find "aktanya" the stemmer missed, but a 2- or 3-letter term
    is an abbreviation that starts many unrelated words: "sim" started "simkah" (the marriage
    registration's keywords), "simbg" (building approval) and "simpedes" (a BRI savings
    account), and "kk" started "kkpr" (a spatial-planning permit), ranked second."""
    return {t for t in wanted if len(t) <= _MAX_ABBREVIATION}


_NO_FIELD = (frozenset[str](), " ")


def best_named(query: str, services: ServiceQuerySet) -> int | None:
    """The id of the service whose own name (then keywords) answers most of a question, or None
    when no name or keywords hold a word of it.

    For a question typed into a chat ("syarat akta kelahiran anak"), where some words describe
    the citizen rather than the service: `search_services` puts services matching every word
    first, and the child's ID card (whose requirements name the birth certificate) matched all
    four words there. Here the name decides, then name and keywords, then the whole score,
    then the shorter name."""
    rows = list(services.values_list("id", "name", "search_text"))
    wanted = query_terms(query)
    if not wanted or not rows:
        return None
    wanted = _correct_typos(wanted, [r[2] for r in rows])
    exact = _abbreviations(wanted)

    def score(fields: tuple[tuple[frozenset[str], str], ...]) -> int:
        return sum(_term_score(t, fields, whole_word=t in exact) for t in wanted)

    best: tuple[tuple[int, int, int, int], int] | None = None
    for service_id, name, text in rows:
        fields = _fields(text)
        own = score((fields[0], fields[1], _NO_FIELD, _NO_FIELD))
        if not own:
            continue
        named = score((fields[0], _NO_FIELD, _NO_FIELD, _NO_FIELD))
        key = (named, own, score(fields), -len(name))
        if best is None or key > best[0]:
            best = (key, service_id)
    return best[1] if best is not None else None


def _correct_typos(wanted: list[str], texts: list[str]) -> list[str]:
    """Replace a term that starts no indexed word by the closest indexed word ("pasport")."""
    everything = " " + " ".join(texts).replace(_FIELD_SEPARATOR, " ") + " "
    fixed = []
    vocabulary: list[str] | None = None
    for term in wanted:
        if len(term) >= _MIN_FUZZY_LENGTH and (" " + term) not in everything:
            if vocabulary is None:
                vocabulary = sorted(set(everything.split()))
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.8)
            fixed.append(close[0] if close else term)
        else:
            fixed.append(term)
    return fixed
