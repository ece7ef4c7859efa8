"""The annotate stage: offsets, entity/token consistency, the parse filter and the model setting."""

from __future__ import annotations

import pytest

from dateline.annotate import Annotation, Annotator, annotate_text, annotate_texts, load_model
from dateline.annotate_filter import candidate_words, is_candidate
from dateline.errors import ConfigError

TEXTS = [
    "Rebels attacked the town of Goma on Monday. The weather in Kinshasa was warm and sunny.",
    "Diplomats from Iran and the European Union met in Vienna on Monday to discuss the nuclear deal, "
    "officials said.\n\nThe talks ended without agreement.",
    "The museum opened in 1998. It has a large garden, a café and three galleries.",
    "  Leading spaces, a\u00a0non-breaking space and “curly quotes” stay where they are.  ",
]


@pytest.fixture(scope="module")
def both() -> dict[str, list[Annotation]]:
    return {parse: annotate_texts(TEXTS, parse=parse) for parse in ("all", "events")}


@pytest.mark.parametrize("parse", ["all", "events"])
def test_offsets_match_text(both: dict[str, list[Annotation]], parse: str) -> None:
    for text, ann in zip(TEXTS, both[parse], strict=True):
        assert ann.tokens
        for n, tok in enumerate(ann.tokens):
            assert tok.i == n
            assert text[tok.start : tok.end] == tok.text
        for s_index, sent in enumerate(ann.sentences):
            assert (
                text[sent.start : sent.end]
                == text[ann.tokens[sent.first_token].start : ann.tokens[sent.last_token - 1].end]
            )
            assert all(t.sent == s_index for t in ann.tokens[sent.first_token : sent.last_token])
        # sentences tile the tokens, in order
        assert ann.sentences[0].first_token == 0 and ann.sentences[-1].last_token == len(ann.tokens)
        for a, b in zip(ann.sentences, ann.sentences[1:], strict=False):
            assert a.last_token == b.first_token


@pytest.mark.parametrize("parse", ["all", "events"])
def test_entities_agree_with_tokens(both: dict[str, list[Annotation]], parse: str) -> None:
    for text, ann in zip(TEXTS, both[parse], strict=True):
        for ent in ann.entities:
            assert text[ent.start : ent.end] == ent.text
            first, last = ann.tokens[ent.first_token], ann.tokens[ent.last_token - 1]
            assert (first.start, last.end) == (ent.start, ent.end)
            assert all(t.ent_type == ent.label for t in ann.tokens[ent.first_token : ent.last_token])
        inside = {i for e in ann.entities for i in range(e.first_token, e.last_token)}
        assert all(not t.ent_type for t in ann.tokens if t.i not in inside)
    places = {e.text for e in both[parse][0].entities if e.label == "GPE"}
    assert "Kinshasa" in places


def test_heads_stay_in_their_sentence(both: dict[str, list[Annotation]]) -> None:
    for anns in both.values():
        for ann in anns:
            for sent in ann.sentences:
                for tok in ann.tokens[sent.first_token : sent.last_token]:
                    assert sent.first_token <= tok.head < sent.last_token


def test_unparsed_sentences_have_no_dependencies(both: dict[str, list[Annotation]]) -> None:
    ann = both["events"][0]
    attack, weather = ann.sentences[0], ann.sentences[1]
    assert attack.parsed and not weather.parsed  # "attacked" is a trigger; nothing in the weather is
    for tok in ann.tokens[weather.first_token : weather.last_token]:
        assert tok.dep == "" and tok.head == tok.i
    assert any(t.dep == "nsubj" for t in ann.tokens[attack.first_token : attack.last_token])
    # tags, lemmas and entities are there all the same
    assert [t.lemma for t in ann.tokens[weather.first_token : weather.last_token]][:3] == ["the", "weather", "in"]
    assert all(t.pos and t.tag for t in ann.tokens)
    # parse="all" parses every sentence
    assert all(s.parsed for a in both["all"] for s in a.sentences)
    assert all(t.dep for a in both["all"] for t in a.tokens if not t.text.isspace())


def test_parsed_sentences_match_the_full_parse(both: dict[str, list[Annotation]]) -> None:
    """Where both modes cut a parsed sentence the same way, its tokens are the same."""
    for full, part in zip(both["all"], both["events"], strict=True):
        bounds = {(s.first_token, s.last_token) for s in full.sentences}
        for sent in part.sentences:
            if sent.parsed and (sent.first_token, sent.last_token) in bounds:
                assert (
                    full.tokens[sent.first_token : sent.last_token] == part.tokens[sent.first_token : sent.last_token]
                )


def test_all_is_exactly_spacy() -> None:
    """parse="all" (with the memoised attribute ruler) gives what the model's nlp.pipe gives."""
    nlp = load_model()
    for text, ann in zip(TEXTS, annotate_texts(TEXTS), strict=True):
        doc = nlp(text)
        assert [(t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in doc] == [
            (t.text, t.lemma, t.pos, t.tag, t.dep, t.head, t.ent_type) for t in ann.tokens
        ]
        assert [(s.start_char, s.end_char) for s in doc.sents] == [(s.start, s.end) for s in ann.sentences]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start, e.end, e.label) for e in ann.entities
        ]


def test_auxiliaries_after_a_partial_parse() -> None:
    """Rules that read dependency labels (an auxiliary is AUX) apply in parsed sentences."""
    ann = annotate_text("The army has attacked the rebels.", parse="events")
    has = next(t for t in ann.tokens if t.text == "has")
    assert (has.pos, has.dep, has.lemma) == ("AUX", "aux", "have")


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ([("rebels", "rebel", "NOUN"), ("attacked", "attack", "VERB")], True),
        ([("talks", "talk", "NOUN")], True),
        ([("officials", "official", "NOUN"), ("said", "say", "VERB")], True),  # speech: "X said Y must ..."
        ([("the", "the", "DET"), ("weather", "weather", "NOUN"), ("was", "be", "AUX"), ("warm", "warm", "ADJ")], False),
        ([], False),
    ],
)
def test_candidate_filter(tokens: list[tuple[str, str, str]], expected: bool) -> None:
    assert is_candidate(tokens, candidate_words()) is expected


def test_candidate_words_follow_the_lexicon(tmp_path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("kind,phrase,pos,event,mode,context,weight\nevent,zorble,V,ASSAULT,,,0.9\n", encoding="utf-8")
    assert "zorble" not in candidate_words()
    assert "zorble" in candidate_words(path)
    assert is_candidate([("zorbled", "zorble", "VERB")], candidate_words(path))


def test_bad_model_name_is_a_config_error_with_a_hint() -> None:
    with pytest.raises(ConfigError) as info:
        load_model("no_such_spacy_model_xyz")
    assert "no_such_spacy_model_xyz" in str(info.value)
    assert "pip install" in (info.value.hint or "")
    with pytest.raises(ConfigError):
        Annotator("no_such_spacy_model_xyz").setup()


def test_bad_parse_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        annotate_texts(["x"], parse="some")
    with pytest.raises(ConfigError):
        Annotator(parse="some")


def test_annotator_stage_skips_rejected_and_empty() -> None:
    class Doc:
        def __init__(self, text: str, rejected: bool = False) -> None:
            self.text, self.rejected, self.annotation = text, rejected, None

    docs = [Doc(TEXTS[0]), Doc(""), Doc(TEXTS[1], rejected=True)]
    Annotator(parse="events").process_batch(docs)  # type: ignore[arg-type]
    assert docs[0].annotation is not None and docs[1].annotation is None and docs[2].annotation is None
    assert annotate_texts([]) == []
