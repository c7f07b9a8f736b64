"""Deterministic synthetic provisions for benchmarks (never published).

Words follow a Zipf distribution over a 20,000-word vocabulary, as words in real statute
corpora do; a uniform draw from a few dozen words would make every query match every row.
"""
import itertools
import random

LEGAL = (
    "person offence image child depiction computer generated artificial intelligence realistic "
    "indistinguishable possess distribute produce publish material visual representation minor "
    "section subsection pursuant thereof knowingly intentionally penalty imprisonment fine years "
    "obscene sexual conduct photograph pseudo film video digital altered morphed"
).split()
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra", "sto", "gli", "dre", "un", "ex"]


def vocabulary(size: int = 20000) -> list[str]:
    words = list(LEGAL)
    for n in itertools.count(2):
        for combo in itertools.product(_SYLLABLES, repeat=n):
            words.append("".join(combo))
            if len(words) >= size:
                return words


def _cum_weights(n):
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


def provisions(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    vocab = vocabulary()
    cum = _cum_weights(len(vocab))
    rows = []
    for i in range(n):
        text = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(40, 160)))
        rows.append({
            "id": f"DE/bench-{i // 100}/s{i}",
            "jurisdiction": "DE",
            "citation": f"Bench Act {i // 100}, s. {i}",
            "heading": " ".join(rng.choices(vocab, cum_weights=cum, k=5)),
            "url": f"https://example.gov/bench/{i}",
            "language": "en",
            "text": text,
            "text_origin": "curated",
            "curated_text": text,
            "excerpt": False,
            "effective": "2024-01-01",
            "checked": "2026-11-23",
            "crawled_versions": 0,
            "unapplied_effects": "[]",
        })
    return rows


QUERY_CLASSES = ("single mid-frequency term", "two terms (AND)", "two-word phrase", "single very common legal term")


def queries(seed: int = 11, n: int = 200) -> list[str]:
    """A mix a lawyer might type: single terms (incl. very common ones), two-word AND, phrases."""
    rng = random.Random(seed)
    vocab = vocabulary()
    out = []
    for i in range(n):
        a, b = rng.choice(vocab[:2000]), rng.choice(vocab[:2000])
        out.append([a, f"{a} {b}", f'"{a} {b}"', rng.choice(LEGAL)][i % 4])
    return out
