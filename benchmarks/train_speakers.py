"""Train the speaker ranker (digests/text/speaker_model.json) on polnear-quotes' train split.

    .venv/bin/python benchmarks/train_speakers.py [--check]

One command, deterministic, well under a minute on one core: the features of every candidate
speaker of every quotation of the **train** articles (``digests.text._speakers``), labelled by the
gold source mention, fit a logistic regression (scikit-learn, a dev dependency); the confidence
threshold is then chosen on the **dev** split (the lowest at which the speakers shown there are
right at least 97.5% of the time). Dev is never trained on. Weights are rounded, so the file is
the same from run to run; ``--check`` only says whether the shipped file is what this script
produces (exit status 1 when not).

The gold: polnear-quotes gives each quotation's source mention as text (``source_mention``), not
its offsets. The mention is located here: its occurrence (whole words, outside quotation marks)
in the quotation's paragraph nearest the quotation, else the nearest earlier one within three
paragraphs, else the nearest anywhere. The *gold head* is the head of the candidate lying in that
occurrence before any comma, bracket or relative clause (the last person's name that is not a
possessive, else an organisation's, a pronoun, a description's head noun), or the last word of
that part of the mention when no candidate lies in it. A
choice is right when its mention covers the gold head: strict about which mention, not about
where the annotator drew its edges.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digests.text._attribution import Choice, RuleChoice  # noqa: E402
from digests.text._marks import QuoteSpan  # noqa: E402
from digests.text._speakers import MODEL_FILE, Candidate, SpeakerModel  # noqa: E402
from digests.text.keyquotes import key_eligible  # noqa: E402
from digests.text.quotes import quotations  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "polnear-quotes"
MODEL_PATH = ROOT / "digests" / "text" / MODEL_FILE
TARGET_ACCURACY = 0.975
C = 0.5
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "who", "which", "that"}
_NAME_KINDS = ("name", "label", "org")


def load(data: Path = DATA) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The articles and, by article id, their gold quotations."""
    articles = [json.loads(line) for line in (data / "articles.jsonl").open(encoding="utf-8")]
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (data / "quotes.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        gold[q["article_id"]].append(q)
    return articles, gold


def mention_type(mention: str | None) -> str:
    """name, pronoun, nominal or implicit (no source)."""
    if mention is None:
        return "implicit"
    if mention.lower() in PRONOUNS:
        return "pronoun"
    words = [w for w in re.findall(r"[\w’'.-]+", mention.split(",")[0]) if w]
    if words and words[-1][:1].isupper():
        return "name"
    return "nominal"


def locate(text: str, golds: list[dict[str, Any]], g: dict[str, Any]) -> tuple[int, int] | None:
    """The span of ``g``'s source mention in ``text`` (see the module docstring), or None."""
    mention = g["source_mention"]
    if not mention:
        return None
    quoted = [(int(o["start"]) - 2, int(o["end"]) + 2) for o in golds]
    spots = [
        m.start()
        for m in re.finditer(r"(?<![\w’'-])" + re.escape(mention) + r"(?![\w’'-])", text)
        if not any(s <= m.start() < e for s, e in quoted)
    ]
    if not spots:
        spots = [m.start() for m in re.finditer(re.escape(mention), text)]
    if not spots:
        return None
    qs, qe = int(g["start"]), int(g["end"])
    p_start = text.rfind("\n", 0, qs) + 1
    p_end = text.find("\n", qe)
    p_end = len(text) if p_end < 0 else p_end

    def gap(at: int) -> int:
        return qs - at if at < qs else at - qe

    same = [a for a in spots if p_start <= a < p_end]
    if same:
        at = min(same, key=gap)
    else:
        earlier = [a for a in spots if a < p_start and text.count("\n", a, p_start) <= 6]
        at = max(earlier) if earlier else min(spots, key=gap)
    return at, at + len(mention)


def gold_head(text: str, span: tuple[int, int], cands: Iterable[Candidate]) -> int:
    """The gold head in the located mention ``span`` (see the module docstring)."""
    gs, ge = span
    mention = text[gs:ge]
    cut = re.split(r",|\s\(|\s(?:who|which|that)\s", mention)[0]
    core_end = gs + len(cut)
    inside = [c for c in cands if gs <= c.head < core_end and c.kind != "none"]
    for kinds in (("name", "label"), ("org",), ("pron_sing", "pron_they", "pron_it", "pron_we", "pron_i", "rel")):
        found = [c for c in inside if c.kind in kinds and not c.text.endswith(("’s", "'s"))]
        if found:
            return found[-1].head
    if inside:
        return inside[-1].head
    cut = re.sub(r"[’']s?$", "", cut.rstrip(" .,"))
    return gs + cut.rfind(" ") + 1


def covers(start: int, end: int, head: int) -> bool:
    return start <= head < max(end, start + 1)


@dataclass(slots=True)
class Scored:
    """One gold quotation found by the extractor, with how its speaker was chosen."""

    article: str
    publisher: str
    split: str
    mtype: str
    model_ok: bool
    rules_ok: bool
    confidence: float
    shown: bool
    named: bool  # the model gave a speaker (not "nobody")
    key: bool  # could be a key quote (a full statement of five words or more)
    resolved_ok: bool | None  # name golds: the fullest name in the article (see the benchmark)
    pronoun_resolved: bool | None


def _match(preds: list[tuple[int, int]], golds: list[dict[str, Any]]) -> dict[int, int]:
    """One-to-one greedy matching by overlap (at least half of the longer span): pred -> gold."""
    pairs = []
    for i, (ps, pe) in enumerate(preds):
        for j, g in enumerate(golds):
            gs, ge = int(g["start"]), int(g["end"])
            overlap = min(pe, ge) - max(ps, gs)
            if overlap > 0 and overlap >= 0.5 * max(pe - ps, ge - gs):
                pairs.append((-overlap, i, j))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i in out or j in used:
            continue
        out[i] = j
        used.add(j)
    return out


_RUN = re.compile(r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*")


def fullest_name(text: str, surname: str) -> str | None:
    """The longest run of capitalised words in ``text`` that ends with ``surname`` (titles kept)."""
    best: str | None = None
    for m in _RUN.finditer(text):
        words = re.sub(r"[’']s$", "", m.group()).split()
        if surname in words:
            run = " ".join(words[: words.index(surname) + 1])
            if best is None or len(run.split()) > len(best.split()):
                best = run
    return best


def resolved_name_ok(text: str, speaker: str | None, head_word: str) -> bool:
    """Does ``speaker`` end with the gold's surname and hold every word of the fullest name of
    that person in the article that is not a title (capitalised words before the first name
    kept by us are taken as titles)?"""
    if not speaker or speaker.split()[-1] != head_word:
        return False
    full = fullest_name(text, head_word)
    if full is None:
        return True
    ours = speaker.split()
    return len(ours) >= 2 or len(full.split()) == 1


def _gold_chooser(
    text: str, golds: list[dict[str, Any]], matched: dict[int, int], targets: dict[int, int | None]
) -> Any:
    """A ``choose`` for ``quotations`` that goes on with the gold candidate of each gold quotation
    (recorded in ``targets``; None when it is not among the candidates) and with the rules' choice
    elsewhere."""

    def choose(i: int, cands: list[Candidate], probs: list[float]) -> int:
        j = matched.get(i)
        if j is None:  # not a gold quotation: go on with the rules' choice
            rule = [k for k, c in enumerate(cands) if "rule_choice" in c.feats]
            return rule[0] if rule else len(cands)
        span = locate(text, golds, golds[j])
        if span is None:
            targets[i] = None
            return len(cands)
        head = gold_head(text, span, cands)
        hits = [k for k, c in enumerate(cands) if covers(c.start, c.end, head)]
        targets[i] = hits[0] if hits else None
        return hits[0] if hits else len(cands)

    return choose


def examples(articles: list[dict[str, Any]], gold: dict[str, list[dict[str, Any]]]) -> list[tuple[list[str], int, str]]:
    """(features, label, publisher) of every candidate of every gold quotation of ``articles``,
    with the previous speaker taken from the gold (teacher forcing)."""
    rows: list[tuple[list[str], int, str]] = []
    for a in articles:
        text, golds = a["text"], gold.get(a["id"], [])
        trace: list[Choice] = []
        spans: list[tuple[QuoteSpan, RuleChoice]] = []
        targets: dict[int, int | None] = {}
        # the quotation spans first (the rules' pass), to match them with the gold ones
        quotations(text, use_model=False, rules_out=spans)
        matched = _match([(s.start, s.end) for s, _ in spans], golds)
        quotations(text, choose=_gold_chooser(text, golds, matched, targets), trace=trace)
        for i, choice in enumerate(trace):
            if i not in matched:
                continue
            target = targets.get(i)
            for k, c in enumerate(choice.candidates):
                positive = k == target if target is not None else c.kind == "none"
                rows.append((c.feats, int(positive), a["publisher"]))
    return rows


def fit(rows: list[tuple[list[str], int, str]], threshold: float = 0.0) -> SpeakerModel:
    """A logistic regression over the binary features of ``rows``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([dict.fromkeys(f, 1.0) for f, _, _ in rows])
    y = [label for _, label, _ in rows]
    lr = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    lr.fit(x, y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, lr.coef_[0], strict=True) if round(float(w), 4)}
    return SpeakerModel(weights, round(float(lr.intercept_[0]), 4), threshold)


def score(
    articles: list[dict[str, Any]], gold: dict[str, list[dict[str, Any]]], model: SpeakerModel
) -> tuple[list[Scored], tuple[int, int, int]]:
    """Each matched gold quotation of ``articles`` scored for the model (at ``model.threshold``) and
    the round-1 rules; and (matched, predicted, gold) quotation counts for quote F1."""
    out: list[Scored] = []
    n_pred = n_gold = n_match = 0
    for a in articles:
        text, golds = a["text"], gold.get(a["id"], [])
        trace: list[Choice] = []
        rules: list[tuple[QuoteSpan, RuleChoice]] = []
        quotes, _ = quotations(text, trace=trace, model=model, rules_out=rules)
        matched = _match([(q.start, q.end) for q in quotes], golds)
        n_pred += len(quotes)
        n_gold += len(golds)
        n_match += len(matched)
        for i, j in matched.items():
            g = golds[j]
            choice = trace[i]
            mtype = mention_type(g["source_mention"])
            span = locate(text, golds, g)
            rule = rules[i][1]
            if span is None:
                model_ok = choice.candidate.kind == "none"
                rules_ok = rule is None
                head = -1
            else:
                head = gold_head(text, span, choice.candidates)
                c = choice.candidate
                model_ok = c.kind != "none" and covers(c.start, c.end, head)
                rules_ok = rule is not None and covers(rule[2], rule[2] + len(rule[1]), head)
            resolved: bool | None = None
            pron: bool | None = None
            if mtype == "name" and head >= 0:
                word = re.match(r"[\w’'.-]+", text[head:])
                head_word = re.sub(r"[’']s$", "", word.group()) if word else ""
                resolved = model_ok and resolved_name_ok(text, choice.speaker, head_word)
            if mtype == "pronoun":
                pron = model_ok and choice.speaker is not None and choice.speaker.lower() not in PRONOUNS
            out.append(
                Scored(
                    a["id"],
                    a["publisher"],
                    a["split"],
                    mtype,
                    model_ok,
                    rules_ok,
                    choice.confidence,
                    quotes[i].speaker is not None,
                    choice.speaker is not None,
                    key_eligible(text, quotes[i]),
                    resolved,
                    pron,
                )
            )
    return out, (n_match, n_pred, n_gold)


def choose_threshold(scored: list[Scored], target: float = TARGET_ACCURACY) -> float:
    """The lowest confidence threshold at which the speakers given to the quotations that can be key
    quotes are right at least ``target`` of the time (on a grid of 0.01): the highest coverage
    that holds it."""
    for step in range(0, 100):
        thr = step / 100
        shown = [s for s in scored if s.key and s.named and s.confidence >= thr]
        if shown and sum(s.model_ok for s in shown) / len(shown) >= target:
            return thr
    return 1.0


def train(articles: list[dict[str, Any]], gold: dict[str, list[dict[str, Any]]]) -> SpeakerModel:
    """The shipped model: fit on train, threshold chosen on dev."""
    rows = examples([a for a in articles if a["split"] == "train"], gold)
    model = fit(rows)
    dev = [a for a in articles if a["split"] == "dev"]
    scored, _ = score(dev, gold, model)
    return SpeakerModel(model.weights, model.bias, choose_threshold(scored))


def dump(model: SpeakerModel) -> str:
    return (
        json.dumps(
            {
                "about": "Speaker ranker of digests/text/_speakers.py; made by benchmarks/train_speakers.py from "
                "polnear-quotes (train split; threshold chosen on dev).",
                "bias": model.bias,
                "threshold": model.threshold,
                "weights": dict(sorted(model.weights.items())),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare with the shipped file")
    args = parser.parse_args()
    articles, gold = load()
    text = dump(train(articles, gold))
    if args.check:
        same = MODEL_PATH.read_text(encoding="utf-8") == text
        print("shipped model is up to date" if same else "shipped model differs from what this script produces")
        sys.exit(0 if same else 1)
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(json.loads(text)['weights'])} weights")


if __name__ == "__main__":
    main()
