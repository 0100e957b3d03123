"""Generate a synthetic citeline timeline for benchmarks.

``python bench/generate.py --events N --sources M --out DIR`` writes
``DIR/events.yaml`` and ``DIR/sources/*.txt``. The output depends only on the
arguments and ``--seed``:

* every source is a few KB of English-like prose, hard-wrapped at 72 columns,
  with curly quotes, apostrophes, em and en dashes and paragraph breaks;
* every event quotes one to five whole sentences of one or two sources; each
  quote is a unique substring of its source once whitespace, quotes and
  dashes are folded (a quote that spans a line break in the source is written
  on one line, and some carry doubled spaces or straight quotes on purpose);
* dates mix day, month and year precision, closed and open intervals, a few
  qualifiers (``?``, ``~``, ``%``) and a few natural forms (``20 March 1931``);
* the events are written roughly in date order with some out of place, so the
  loader has real sorting to do.

With ``--check`` (the default) the result is loaded with citeline's own loader
and the run fails unless it validates; ``--meta`` then writes the facts the
benchmark runner needs (first and last titles, a search query, ...).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the output changes, so cached data sets are regenerated.
GENERATOR_VERSION = 3

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
NOUNS = (
    "harbour", "treaty", "railway", "council", "tariff", "bridge", "archive", "garrison",
    "mint", "charter", "canal", "ferry", "granary", "embassy", "tribunal", "militia",
    "observatory", "census", "ledger", "foundry", "convoy", "pipeline", "dockyard", "assembly",
    "customs house", "grain market", "post road", "water board", "coal levy", "salt tax",
    "lighthouse", "school board", "press office", "bank", "ministry", "delegation",
    "commission", "exhibition", "cathedral", "university", "hospital", "printing house",
    "telegraph line", "river fleet", "copper mine", "timber trade", "wool guild", "militia pay",
    "border post", "harvest", "loan", "strike", "election", "budget", "blockade", "ceasefire",
)
ADJECTIVES = (
    "new", "disputed", "northern", "provisional", "costly", "long-delayed", "secret", "joint",
    "rival", "ageing", "modest", "sweeping", "temporary", "controversial", "unfinished",
    "coastal", "eastern", "municipal", "royal", "federal", "private", "popular", "fragile",
    "ambitious", "reluctant", "second", "much-criticised", "little-known", "bilateral",
)
VERBS_PAST = (
    "approved", "rejected", "postponed", "funded", "inspected", "expanded", "suspended",
    "renegotiated", "opened", "closed", "audited", "praised", "condemned", "rebuilt",
    "reorganised", "announced", "blocked", "signed", "ratified", "abandoned", "financed",
    "surveyed", "questioned", "defended", "revived", "taxed", "nationalised", "leased",
)
GERUNDS = (
    "abandoning", "delaying", "rebuilding", "selling", "closing", "defending", "renaming",
    "taxing", "moving", "dividing", "doubling", "halving", "reviewing",
)
ORGS = (
    "Board of Trade", "Harbour Commission", "City Council", "Merchants’ Guild",
    "War Office", "Treasury", "Supreme Court", "Chamber of Deputies", "Railway Company",
    "Workers’ Union", "Academy of Sciences", "Foreign Office", "Central Bank",
    "Press Association", "Customs Service",
)
ADVERBS = (
    "quietly", "abruptly", "eventually", "formally", "unexpectedly", "repeatedly", "briefly",
    "openly", "reluctantly", "finally",
)
TAGS = (
    "trade", "diplomacy", "war", "finance", "transport", "labour", "science", "law",
    "elections", "energy", "health", "education", "press", "religion", "agriculture",
    "maritime", "border", "sanctions", "summit", "protest", "reform", "census", "industry",
    "culture", "treaty", "migration", "infrastructure", "security", "taxation", "weather",
)
SYLLABLES = (
    "var", "nol", "ost", "bri", "kel", "mar", "dun", "sar", "tev", "lin", "gor", "ash",
    "vel", "ron", "cal", "des", "hal", "mir", "pet", "sol", "tor", "wen", "zal", "fen",
    "bel", "dor", "quin", "rav", "sel", "ul", "ber", "gan", "hor", "ist", "jor", "lam",
)
PLACE_ENDINGS = ("holt", "burg", "mouth", "ford", "grad", "stad", "port", "wick", "ia", "ana")
FIRST_NAMES = (
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Felix", "Greta", "Hugo", "Ilse", "Jonas",
    "Karin", "Leon", "Mara", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tamara", "Viktor",
    "Wanda", "Yusuf", "Zofia", "Ahmed", "Beatrix", "Casimir", "Dorota", "Emil", "Farid", "Ines",
)


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass
class Names:
    """Proper names made from syllables: places and people."""

    places: list[str]
    surnames: list[str]

    @classmethod
    def make(cls, rng: random.Random, places: int, surnames: int) -> Names:
        def make_unique(count: int, ending: tuple[str, ...] | None) -> list[str]:
            found: dict[str, None] = {}
            while len(found) < count:
                word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
                word += rng.choice(ending) if ending else rng.choice(SYLLABLES)
                found[_cap(word)] = None
            return list(found)

        return cls(make_unique(places, PLACE_ENDINGS), make_unique(surnames, None))

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(self.surnames)}"


class Prose:
    """English-like sentences with typographic quotes and dashes."""

    def __init__(self, rng: random.Random, names: Names) -> None:
        self.rng = rng
        self.names = names

    def np(self) -> str:
        """A noun phrase."""
        rng = self.rng
        noun = rng.choice(NOUNS)
        roll = rng.random()
        if roll < 0.4:
            return f"the {rng.choice(ADJECTIVES)} {noun}"
        if roll < 0.7:
            return f"the {noun} of {rng.choice(self.names.places)}"
        if roll < 0.85:
            return f"the {rng.choice(self.names.places)} {noun}"
        return f"{rng.randint(2, 900)} {_plural(noun)}"

    def when(self) -> str:
        rng = self.rng
        year = rng.randint(1820, 2024)
        roll = rng.random()
        if roll < 0.3:
            return f"in {rng.choice(MONTHS)} {year}"
        if roll < 0.5:
            return f"on {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
        if roll < 0.65:
            return f"between {year} and {year + rng.randint(1, 12)}"
        if roll < 0.8:
            return f"in {year}–{str(year + rng.randint(1, 9))[-2:]}"
        return f"by {year}"

    def sentence(self) -> str:
        """One sentence, ending with a full stop."""
        rng = self.rng
        names = self.names
        roll = rng.random()
        person = names.person(rng)
        org = rng.choice(ORGS)
        if roll < 0.18:
            text = (
                f"“We are not {rng.choice(GERUNDS)} {self.np()},” {person} told the {org},"
                f" “but {self.np()} must wait.”"
            )
        elif roll < 0.34:
            text = (
                f"{_cap(self.np())} — long {rng.choice(VERBS_PAST)} by the {org} — was"
                f" {rng.choice(ADVERBS)} {rng.choice(VERBS_PAST)} {self.when()}."
            )
        elif roll < 0.5:
            text = (
                f"According to the {org}’s own figures, {self.np()} cost {rng.randint(3, 980)}"
                f" thousand crowns {self.when()}, {rng.randint(2, 40)} per cent more than"
                " planned."
            )
        elif roll < 0.66:
            text = (
                f"In {rng.choice(names.places)}, {person} {rng.choice(VERBS_PAST)} {self.np()}"
                f" and {rng.choice(VERBS_PAST)} {self.np()} {self.when()}."
            )
        elif roll < 0.8:
            text = (
                f"It was {person}’s view that {self.np()} had been {rng.choice(VERBS_PAST)}"
                f" too {rng.choice(('early', 'late', 'often', 'cheaply', 'quickly'))}, and"
                f" that the {org} knew it."
            )
        else:
            text = (
                f"Reports from {rng.choice(names.places)} said {self.np()} was"
                f" {rng.choice(VERBS_PAST)} after {rng.randint(2, 60)} days of talks with"
                f" {person} {self.when()}."
            )
        return text

    def summary(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


@dataclass
class SourceDoc:
    """A generated source: its text, and the sentences that can be quoted."""

    index: int
    ident: str
    file: str
    title: str
    author: str | None
    text: str
    #: (start, end) of each quotable run of sentences within one paragraph
    sentences: list[tuple[int, int]] = field(default_factory=list)
    #: paragraph number of each sentence
    paragraph: list[int] = field(default_factory=list)


def make_source(index: int, rng: random.Random, prose: Prose, names: Names) -> SourceDoc:
    """A source of 2–6 KB: a heading, then hard-wrapped paragraphs."""
    place = rng.choice(names.places)
    title = (
        f"{_cap(rng.choice(ADJECTIVES))} {rng.choice(NOUNS)} in {place}:"
        f" {rng.choice(('a report', 'notes', 'minutes', 'a dispatch', 'a memoir', 'letters'))}"
    )
    author = names.person(rng) if rng.random() < 0.6 else None
    target = rng.randint(2000, 6000)
    parts: list[str] = [f"{title.upper()}\n\n"]
    length = len(parts[0])
    sentences: list[tuple[int, int]] = []
    paragraph_of: list[int] = []
    paragraph = 0
    while length < target:
        chosen = [prose.sentence() for _ in range(rng.randint(2, 6))]
        raw = " ".join(chosen)
        wrapped = textwrap.fill(raw, width=72, break_long_words=False, break_on_hyphens=False)
        # locate each sentence in the wrapped paragraph (spaces may have become newlines)
        cursor = 0
        for sentence in chosen:
            words = sentence.split(" ")
            start = wrapped.index(words[0], cursor)
            end = start
            for word in words:
                end = wrapped.index(word, end) + len(word)
            sentences.append((length + start, length + end))
            paragraph_of.append(paragraph)
            cursor = end
        parts.append(wrapped + "\n\n")
        length += len(wrapped) + 2
        paragraph += 1
    text = "".join(parts)
    return SourceDoc(
        index=index,
        ident=f"src-{index:05d}",
        file=f"sources/s{index:05d}.txt",
        title=title,
        author=author,
        text=text,
        sentences=sentences,
        paragraph=paragraph_of,
    )


def make_date(rng: random.Random, day_number: int) -> tuple[str, int]:
    """A date string near ``day_number`` (an ordinal) and the ordinal it sorts by."""
    import datetime as dt

    day = dt.date.fromordinal(day_number)
    roll = rng.random()
    if roll < 0.50:
        return day.isoformat(), day_number
    if roll < 0.64:
        return f"{day.year:04d}-{day.month:02d}", dt.date(day.year, day.month, 1).toordinal()
    if roll < 0.72:
        return f"{day.year:04d}", dt.date(day.year, 1, 1).toordinal()
    if roll < 0.80:
        end = dt.date.fromordinal(day_number + rng.randint(1, 40))
        return f"{day.isoformat()}/{end.isoformat()}", day_number
    if roll < 0.84:
        end_month = min(12, day.month + rng.randint(1, 5))
        return (
            f"{day.year:04d}-{day.month:02d}/{day.year:04d}-{end_month:02d}",
            dt.date(day.year, day.month, 1).toordinal(),
        )
    if roll < 0.87:
        return f"{day.year:04d}/{day.year + rng.randint(1, 6):04d}", dt.date(
            day.year, 1, 1
        ).toordinal()
    if roll < 0.88:
        return f"{day.year:04d}-{day.month:02d}/..", dt.date(day.year, day.month, 1).toordinal()
    if roll < 0.95:
        qualifier = rng.choice("?~%")
        if rng.random() < 0.5:
            return f"{day.isoformat()}{qualifier}", day_number
        return f"{day.year:04d}{qualifier}", dt.date(day.year, 1, 1).toordinal()
    if roll < 0.98:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}", day_number
    return f"{MONTHS[day.month - 1]} {day.year}", dt.date(day.year, day.month, 1).toordinal()


def _yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _folded(key: str, text: str, indent: int) -> list[str]:
    """``key: >-`` and ``text`` wrapped under it; YAML folds the line breaks to spaces."""
    pad = " " * indent
    body = textwrap.wrap(text, width=max(40, 88 - indent), break_long_words=False,
                         break_on_hyphens=False, drop_whitespace=True)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in body)]


class QuotePicker:
    """Picks quotable sentence runs that are unique in their source after folding."""

    def __init__(self) -> None:
        from citeline.anchoring import CanonicalText, fold

        self._canonical_type = CanonicalText
        self._fold = fold
        self._canonical: dict[int, object] = {}

    def unique(self, source: SourceDoc, quote: str) -> bool:
        canon = self._canonical.get(source.index)
        if canon is None:
            canon = self._canonical[source.index] = self._canonical_type(source.text)
        return len(canon.find_all(self._fold(quote))) == 1  # type: ignore[attr-defined]


def _quote_variant(rng: random.Random, exact: str) -> str:
    """What a curator would write: the sentence on one line, sometimes retyped."""
    quote = " ".join(exact.split())
    roll = rng.random()
    if roll < 0.08:  # a doubled space somewhere
        words = quote.split(" ")
        if len(words) > 3:
            at = rng.randint(1, len(words) - 2)
            quote = " ".join(words[:at]) + "  " + " ".join(words[at:])
    elif roll < 0.14:  # typed with straight quotes and hyphens
        quote = (
            quote.replace("’", "'").replace("“", '"').replace("”", '"').replace(" — ", " - ")
        )
    return quote


def generate(events: int, sources: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the timeline into ``out``; returns counts of what was written."""
    rng = random.Random(seed * 1_000_003 + events * 7 + sources)
    names = Names.make(rng, places=max(60, sources // 4), surnames=max(120, sources // 2))
    prose = Prose(rng, names)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    docs = [make_source(i, rng, prose, names) for i in range(sources)]
    for doc in docs:
        (out / doc.file).write_text(doc.text, encoding="utf-8")
    picker = QuotePicker()

    import datetime as dt

    first_day = dt.date(1830, 1, 1).toordinal()
    last_day = dt.date(2024, 12, 31).toordinal()
    days = sorted(rng.randint(first_day, last_day) for _ in range(events))
    lines: list[str] = [
        "# A synthetic timeline generated by bench/generate.py for benchmarks.",
        f"# events={events} sources={sources} seed={seed} version={GENERATOR_VERSION}",
        "",
        f"title: {_yaml_str(f'Synthetic timeline: {events} events')}",
        "",
        "sources:",
    ]
    for doc in docs:
        lines.append(f"  - id: {doc.ident}")
        lines.append(f"    file: {doc.file}")
        lines.append(f"    title: {_yaml_str(doc.title)}")
        if doc.author:
            lines.append(f"    author: {_yaml_str(doc.author)}")
    lines += ["", "events:"]

    # roughly date-ordered, with one event in ten moved somewhere else
    order = list(range(events))
    for _ in range(events // 10):
        a, b = rng.randrange(events), rng.randrange(events)
        order[a], order[b] = order[b], order[a]

    titles_seen: set[str] = set()
    passages_total = 0
    event_blocks: list[list[str]] = [[] for _ in range(events)]
    for number in range(events):
        date_text, _ = make_date(rng, days[number])
        place = rng.choice(names.places)
        verb = rng.choice(VERBS_PAST)
        noun = rng.choice(NOUNS)
        title = f"{place} {rng.choice(ADJECTIVES)} {noun} {verb}"
        if rng.random() < 0.3:
            title += f" after {rng.randint(2, 90)} days"
        while title in titles_seen:
            title += f" ({rng.choice(names.places)})"
        titles_seen.add(title)
        block = [f"  - id: e{number:06d}-{noun.replace(' ', '-')}-{verb}"]
        block.append(f"    title: {_yaml_str(title)}")
        block.append(f"    date: {_yaml_str(date_text)}")
        if rng.random() < 0.85:
            block.append(f"    place: {_yaml_str(place)}")
        people = [names.person(rng) for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
        if people:
            block.append(f"    participants: [{', '.join(dict.fromkeys(people))}]")
        tags = sorted(set(rng.sample(TAGS, rng.randint(1, 4))))
        block.append(f"    tags: [{', '.join(tags)}]")
        block += _folded("summary", prose.summary(rng.randint(2, 4)), 4)
        block.append("    passages:")
        # every source is cited: event k's first passage goes to source k mod M
        primary = docs[number % sources] if number < sources else rng.choice(docs)
        secondary = rng.choice(docs) if rng.random() < 0.35 else primary
        count = rng.choices((1, 2, 3, 4, 5), weights=(25, 35, 22, 12, 6))[0]
        used: set[tuple[int, int]] = set()
        written = 0
        attempts = 0
        while written < count and attempts < count * 8:
            attempts += 1
            doc = primary if written == 0 or rng.random() < 0.7 else secondary
            pick = rng.randrange(len(doc.sentences))
            span = 1 if rng.random() < 0.75 else 2
            last = pick + span - 1
            if last >= len(doc.sentences) or doc.paragraph[last] != doc.paragraph[pick]:
                last = pick
            if (doc.index, pick) in used:
                continue
            start, end = doc.sentences[pick][0], doc.sentences[last][1]
            exact = doc.text[start:end]
            quote = _quote_variant(rng, exact)
            if not picker.unique(doc, quote):
                continue
            used.add((doc.index, pick))
            block.append(f"      - source: {doc.ident}")
            block += _folded("quote", quote, 8)
            if pick > 0 and doc.paragraph[pick - 1] == doc.paragraph[pick] and (
                rng.random() < 0.06
            ):
                before = doc.text[doc.sentences[pick - 1][0] : doc.sentences[pick - 1][1]]
                prefix = " ".join(before.split()[-3:])
                block.append(f"        prefix: {_yaml_str(prefix)}")
            if rng.random() < 0.15:
                block += _folded("note", prose.sentence(), 8)
            written += 1
        passages_total += written
        block.append("")
        event_blocks[number] = block
    for number in order:
        lines += event_blocks[number]
    (out / "events.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"events": events, "sources": sources, "passages": passages_total}


def check(out: Path) -> dict[str, object]:
    """Load ``out/events.yaml`` with citeline; raise unless valid. Returns facts for the runner."""
    from citeline.loader import load

    started = time.perf_counter()
    result = load(out / "events.yaml")
    seconds = time.perf_counter() - started
    if result.timeline is None:
        errors = [str(d) for d in result.diagnostics if d.is_error]
        raise SystemExit(f"generated timeline does not validate ({len(errors)} errors):\n"
                         + "\n".join(errors[:20]))
    return facts(result.timeline, seconds)


def facts(timeline: object, load_seconds: float) -> dict[str, object]:
    """What the runner needs to know about a loaded timeline (its markers and queries)."""
    from citeline.model import Timeline
    from citeline.search import SearchIndex

    assert isinstance(timeline, Timeline)
    events = timeline.events
    index = SearchIndex(timeline)
    total = len(events)
    # a one-word query matching a modest share of the events, whose last letter narrows the
    # hits (so the screen visibly changes when it is typed)
    query, counts = _pick_query(index, events, total)
    # a line of the first event's source just after its first passage: the viewer shows it
    first = events[0]
    passage = first.passages[0]
    source = timeline.source(passage.source_id)
    assert source is not None
    lines = source.text.split("\n")
    end_line = source.text.count("\n", 0, passage.end)  # 0-based line of the passage's end
    marker = ""
    for candidate in lines[end_line + 1 : end_line + 8]:
        candidate = candidate.strip()
        if len(candidate) >= 20 and candidate[:20] not in passage.text:
            marker = candidate[:20]
            break
    return {
        "events": total,
        "sources": len(timeline.sources),
        "passages": sum(len(e.passages) for e in events),
        "load_seconds": round(load_seconds, 3),
        "title": timeline.title,
        "titles_head": [e.title for e in events[:200]],
        "last_title": events[-1].title,
        "search": {"query": query, "prefix_hits": counts[0], "hits": counts[1]},
        "source_marker": marker,
        "source_id": passage.source_id,
    }


def _pick_query(index: object, events: tuple, total: int) -> tuple[str, tuple[int, int]]:
    """A query with ``hits(query[:-1]) > hits(query)`` and a modest number of hits."""
    words = sorted({w.lower() for e in events[:300] for w in e.title.split() if len(w) >= 4})
    words += sorted(w for w in NOUNS + ADJECTIVES if " " not in w and len(w) >= 4)
    fallback: tuple[str, tuple[int, int]] | None = None
    for word in dict.fromkeys(words):
        hits = len(index.search(word))  # type: ignore[attr-defined]
        if not 1 <= hits < total:
            continue
        prefix_hits = len(index.search(word[:-1]))  # type: ignore[attr-defined]
        if prefix_hits == hits:
            continue
        if hits <= max(5, 0.05 * total):
            return word, (prefix_hits, hits)
        if fallback is None:
            fallback = (word, (prefix_hits, hits))
    if fallback is not None:
        return fallback
    word = events[0].title.split()[0].lower()
    hits = len(index.search(word))  # type: ignore[attr-defined]
    return word, (hits, hits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--sources", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-check", action="store_true", help="skip validating the result")
    parser.add_argument("--meta", type=Path, help="write the runner's facts here (JSON)")
    args = parser.parse_args(argv)
    if args.events < 1 or args.sources < 1:
        parser.error("--events and --sources must be at least 1")
    started = time.perf_counter()
    counts = generate(args.events, args.sources, args.out, args.seed)
    size = (args.out / "events.yaml").stat().st_size
    print(f"wrote {args.out}/events.yaml: {counts['events']} events, {counts['sources']}"
          f" sources, {counts['passages']} passages, {size / 1e6:.1f} MB"
          f" in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if not args.no_check:
        info = check(args.out)
        print(f"validated with citeline in {info['load_seconds']} s", file=sys.stderr)
        if args.meta:
            args.meta.write_text(json.dumps(info, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
