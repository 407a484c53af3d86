"""Right language tags for literals, whatever DSpace says.

Brage tags Norwegian text ``en`` or ``en_US`` by form default, so a DSpace tag is the
last thing consulted. The policy, cheapest step first:

1. A short text (a keyword, one or two words) cannot be told apart: it takes the
   record's language (``dc.language.iso``). Detectors call "klynge" Danish.
2. A longer text is told from its words: Norwegian and English stop words decide most
   texts in microseconds; only what they cannot decide goes to a statistical detector
   (py3langid, loaded on first use, restricted to the languages repositories hold).
3. Norwegian text takes its written standard (``nb``/``nn``) from ``dc.language.iso``
   when that says ``nob``/``nno``: detectors misjudge Bokmål titles as Nynorsk. Otherwise
   markers only Nynorsk or only Bokmål uses decide; failing those, ``no``.
   A short text DSpace tags ``*`` (any language, typical of rights statements) stays untagged.
4. Where nothing decides, the DSpace tag, normalised to BCP 47, is used; where there is
   none, no tag at all (better than a wrong one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .vocabularies.tables import Language, bcp47_from_dspace

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Words frequent in running Norwegian (both standards) and rare in English, and vice versa.
NO_WORDS = frozenset(
    "og i er det som på av for med til den et har de ikke ikkje ein eit en fra frå hva kva ved om seg sin sitt vi dei dette denne "
    "kan blir vert etter mellom også eller hvordan korleis men så være vere var er ble vart hvor kor hvilke kva for deres deira "
    "oppgaven oppgåva studien artikkelen rapporten avhandlinga avhandlingen gjennom mot uten utan bare berre noen nokon mange "
    "større sammen saman hos under over innen innan da når kva både bør skal må vil gir gjev viser syner".split()
)
EN_WORDS = frozenset(
    "the and of to in is for on with that by this are as be from an at it which we our its into how whether or not between "
    "than these those their was were has have been can using used study thesis paper article report show shows results "
    "based about through within across while also both such".split()
)
NN_MARKERS = frozenset(
    "ikkje ein eit frå kva korleis dei vere vore berre mykje noko nokon nokre kvar kven eg vart vert heile sjølv "
    "saman utan innan fleire medan ho difor oppgåva avhandlinga gjev".split()
)
NB_MARKERS = frozenset("ikke et fra hva hvordan de være bare mye noe noen noen hver hvem jeg ble hele selv sammen uten innen flere mens hun".split())
DA_MARKERS = frozenset("af hvad blev bliver nogle hvilke efter mellem kun ogsa".split())
# Frequent words of the other languages repositories hold that share spellings with
# Norwegian ("de", "et", "en", "som", "av"): two of them send a text to the detector.
OTHER_WORDS = frozenset(
    "le la les des du et sur dans est une pour par qui au aux "  # French
    "der die das und mit von für ist eine auf dem den zur zum "  # German
    "och är att inte hur för vid till använder undersöka "  # Swedish
    "el los las del por con una".split()  # Spanish
) - NO_WORDS
DETECTOR_LANGUAGES = ["en", "no", "nn", "da", "sv", "de", "fr", "es", "fi", "is", "se", "nl", "it", "pt", "ru", "pl"]
SHORT_WORDS = 3


@dataclass(frozen=True)
class TagDecision:
    tag: str | None
    how: str


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class WordStats:
    """Counts of telling words in a text, computed once per text."""

    words: int
    no: int
    en: int
    other: int
    danish: int
    nn: int
    nb: int


SAMPLE_CHARS = 600  # the language of a text is clear long before its end


@lru_cache(maxsize=8192)
def word_stats(text: str) -> WordStats:
    """Distinct telling words in the first ``SAMPLE_CHARS`` characters (set operations run in C)."""
    sample = text[:SAMPLE_CHARS]
    listed = words_of(sample)
    words = set(listed)
    return WordStats(
        words=len(listed) if len(text) <= SAMPLE_CHARS else len(text.split()),
        no=len(words & NO_WORDS),
        en=len(words & EN_WORDS),
        other=len(words & OTHER_WORDS),
        danish=len(words & DA_MARKERS),
        nn=len(words & NN_MARKERS),
        nb=len(words & NB_MARKERS),
    )


class LanguageTagger:
    """Decides tags; holds the detector (loaded on first need) and a cache of decisions."""

    def __init__(self) -> None:
        self._detector: Any = None
        self.detector_calls = 0
        self.tag = lru_cache(maxsize=65536)(self._tag)  # type: ignore[method-assign]

    def _detect(self, text: str) -> tuple[str, float]:
        if self._detector is None:
            import py3langid.langid as langid

            self._detector = langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)
            self._detector.set_languages(DETECTOR_LANGUAGES)
        self.detector_calls += 1
        code, prob = self._detector.classify(text)
        return str(code), float(prob)

    def family(self, text: str) -> tuple[str | None, str]:
        """'no', 'en', another ISO 639-1 code, or None; and how it was told."""
        st = word_stats(text)
        no, en, other, danish = st.no, st.en, st.other, st.danish
        if no >= 2 and no >= 3 * en and not danish and other < 2:
            return "no", "stop words"
        if en >= 2 and en >= 3 * no and other < 2:
            return "en", "stop words"
        code, prob = self._detect(text)
        if prob < 0.5:
            return None, f"detector unsure ({code} {prob:.2f})"
        return ("no" if code in ("no", "nn") else code), f"detector ({code} {prob:.2f})"

    def standard(self, text: str, strict: bool = False) -> str | None:
        """'nb' or 'nn' when the text's own words say so, else None.

        ``strict`` asks for overwhelming evidence (two markers of one standard, none of the
        other), enough to overrule ``dc.language.iso``.
        """
        st = word_stats(text)
        nn, nb = st.nn, st.nb
        if strict:
            return "nn" if nn >= 2 and not nb else "nb" if nb >= 2 and not nn else None
        if nn > nb:
            return "nn"
        if nb > nn:
            return "nb"
        return None

    def _tag(self, text: str, record_tag: str | None, dspace_tag: str | None, short_field: bool) -> TagDecision:
        n_words = word_stats(text).words
        if not n_words:
            return TagDecision(None, "no words")
        if n_words < SHORT_WORDS or (short_field and n_words < 5):
            if dspace_tag == "*":
                return TagDecision(None, "short text DSpace marks as any language (*)")
            if record_tag:
                return TagDecision(record_tag, "short text: the record's language")
            fallback = bcp47_from_dspace(dspace_tag)
            return TagDecision(fallback, "short text, no record language: DSpace tag" if fallback else "short text: undecided")
        family, how = self.family(text)
        if family == "no":
            standard = self.standard(text, strict=True)
            if record_tag in ("nb", "nn") and standard and standard != record_tag:
                return TagDecision(standard, f"Norwegian ({how}); {standard} by its own words, against dc.language.iso")
            if record_tag in ("nb", "nn"):
                return TagDecision(record_tag, f"Norwegian ({how}); standard from dc.language.iso")
            standard = self.standard(text)
            if standard:
                return TagDecision(standard, f"Norwegian ({how}); {standard} by its own words")
            dspace = bcp47_from_dspace(dspace_tag)
            if dspace in ("nb", "nn"):
                return TagDecision(dspace, f"Norwegian ({how}); standard from the DSpace tag")
            return TagDecision("no", f"Norwegian ({how}); standard undecided")
        if family is not None:
            return TagDecision(family, how)
        if record_tag:
            return TagDecision(record_tag, f"{how}: the record's language")
        fallback = bcp47_from_dspace(dspace_tag)
        return TagDecision(fallback, f"{how}: DSpace tag" if fallback else f"{how}: no tag")

    def decide(self, text: str, record_language: Language | None, dspace_tag: str | None, short_field: bool = False) -> TagDecision:
        record_tag = record_language.bcp47 if record_language and record_language.bcp47 else None
        return self.tag(text, record_tag, dspace_tag, short_field)  # type: ignore[no-any-return]

    def split_bilingual(self, text: str) -> list[str]:
        """Split ``"<Norwegian> / <English>"`` where the two sides are in different languages."""
        if " / " not in text:
            return [text]
        pieces = text.split(" / ")
        for i in range(1, len(pieces)):
            left, right = " / ".join(pieces[:i]).strip(), " / ".join(pieces[i:]).strip()
            if word_stats(left).words < 6 or word_stats(right).words < 6:
                continue
            lf, _ = self.family(left)
            rf, _ = self.family(right)
            if lf and rf and lf != rf:
                return [left, *self.split_bilingual(right)]
        return [text]
