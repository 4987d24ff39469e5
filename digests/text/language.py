"""Language identification by stop-word share and script, with no data to download.

Latin-script text is scored against short lists of the most frequent function words of English,
German, French, Spanish, Italian, Portuguese, Dutch, Swedish, Danish, Norwegian, Polish and
Turkish: the language whose words make up the largest share of the first ~400 words wins. Other
scripts are recognised by their letters (Cyrillic: Russian or Ukrainian; Greek, Arabic, Hebrew,
Chinese, Japanese, Korean, Devanagari). Text too short or too ambiguous to tell is taken as English.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain, repeat

from digests.text._tokens import wordset

__all__ = ["detect_language"]

_STOP = {
    "en": wordset(
        """the of and to in is that for it was on with as he be at by this have from or are an
        but not his they which had has were been their we will would said who its there what she
        all about when more after also than our you"""
    ),
    "de": wordset(
        """der die und das ist nicht den von zu mit sich des auf für im dem ein eine auch als
        an es wird werden bei nach sie aus hat wie noch einer oder um ich wir sind zum zur über
        war vor durch haben nur kann sagte"""
    ),
    "fr": wordset(
        """le la les de des et est un une du en que qui dans pour pas au sur par plus ne se ce
        il elle sont avec été aux ont mais ou son sa ses cette leur nous vous a été comme dit"""
    ),
    "es": wordset(
        """el la los las de del y en que un una es por con para no se su al lo como más pero
        sus le ha fue son está este esta entre cuando también según dijo han sobre"""
    ),
    "it": wordset(
        """il lo la gli le di del della dei e è che un una per non in con su da al alla sono
        si come anche più ma ha nel nella questo questa sia stato ha detto essere"""
    ),
    "pt": wordset(
        """o a os as de do da dos das e é que um uma em no na nos nas para com não por se ao
        mais como mas foi são seu sua também pelo pela disse está ele ela"""
    ),
    "nl": wordset(
        """de het een en van in is dat op te zijn voor met die niet aan er ook als maar bij
        door om dan nog wordt naar uit heeft werd over zei hij zij wij"""
    ),
    "sv": wordset(
        """och att det som en på är av för med till den har de inte om ett var jag men sig
        från vid så kan eller han hon sade efter"""
    ),
    "da": wordset(
        """og at det som en på er af for med til den har de ikke om et var jeg men sig fra
        ved så kan eller han hun sagde efter blev"""
    ),
    "no": wordset(
        """og at det som en på er av for med til den har de ikke om et var jeg men seg fra
        ved så kan eller han hun sa etter ble"""
    ),
    "pl": wordset(
        """i w na z że się nie do to jest o jak po co ale od za przez czy jego tak już być
        przy oraz który która które powiedział jednak"""
    ),
    "tr": wordset(
        """ve bir bu da de için ile olarak çok daha ne ama gibi olan en kadar sonra her değil
        mi ya şu dedi olduğu"""
    ),
}
_PUNCT = ".,;:!?\"'“”‘’«»„()[]{}—–-…"
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_MIN_WORDS = 8
_MAX_WORDS = 150
_SAMPLE = 1000  # characters looked at
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _code, _words in _STOP.items():
    for _w in _words:
        _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _code)


# Every word that counts for a language other than English.
_FOREIGN = frozenset().union(*(words for code, words in _STOP.items() if code != "en"))


def _letters(sample: str) -> int:
    return len(_LETTER.findall(sample))


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language ("en", "de", "fr", ...); "en" when unsure."""
    sample = text[:_SAMPLE]
    # Non-Latin scripts take two or more bytes a letter in UTF-8: only then count letters by script.
    if not sample.isascii() and len(sample.encode("utf-8")) - len(sample) > len(sample) * 0.3:
        letters = _letters(sample)
        if not letters:
            return "en"
        latin = len(_ASCII_LETTER.findall(sample))
        if latin < letters * 0.5:
            for code, script in _SCRIPTS:
                if len(script.findall(sample)) > letters * 0.3:
                    if code == "ru" and len(_UKRAINIAN.findall(sample)) > letters * 0.005:
                        return "uk"
                    return code
    words = sample.lower().split(None, _MAX_WORDS)[:_MAX_WORDS]
    if len(words) < _MIN_WORDS:
        return "en"
    stripped = list(map(str.strip, words, repeat(_PUNCT)))
    # Fast path (most articles): when even the words of every other language together cannot
    # clearly beat English (the test below, applied to their total), the answer is English.
    n = len(words)
    en_words = sum(map(_STOP["en"].__contains__, stripped))
    foreign_words = sum(map(_FOREIGN.__contains__, stripped))
    if foreign_words / n < 0.12 or foreign_words / n < en_words / n * 1.3:
        return "en"
    counts = dict.fromkeys(_STOP, 0)
    counts.update(Counter(chain.from_iterable(map(_LANGS_OF.get, stripped, repeat(())))))
    best = max(counts, key=lambda c: counts[c])
    best_share, english = counts[best] / len(words), counts["en"] / len(words)
    # A foreign language must clearly beat English (names and loan words blur short texts).
    if best != "en" and (best_share < 0.12 or best_share < english * 1.3):
        return "en"
    return best
