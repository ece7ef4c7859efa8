"""The pipeline end to end on small documents of our own: articles or recorded errors, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dateline
from dateline.config import Settings
from dateline.errors import ConfigError
from dateline.pipeline import Pipeline, RunReport
from dateline.records import RawDocument
from dateline.schema import validation_errors

ARTICLE = (
    "Foreign ministers of Japan and South Korea met in Bangkok on Thursday to discuss the crisis.\n\n"
    "The two sides agreed to keep talking, officials said after the meeting, which lasted two hours.\n\n"
    "Background\n\n"
    "Relations between Tokyo and Seoul have been strained since a court ruling on wartime labour last year."
)


@pytest.fixture(scope="module")
def extract_only() -> Pipeline:
    return Pipeline(settings=Settings(), nlp=False)


def _run(pipe: Pipeline, data, **kw):
    return pipe.run_batch([RawDocument(kw.pop("uri", "mem://doc"), data, **kw)])[0]


def test_clean_article_loses_nothing(extract_only):
    article = _run(extract_only, ARTICLE, content_type="text/plain", text_kind="article")
    assert not article.errors
    assert [p.text for p in article.paragraphs] == [p for p in ARTICLE.split("\n\n")]
    for p in article.paragraphs:
        assert article.text[p.start : p.end] == p.text
    assert article.language == "en"


def test_auto_keeps_every_line_of_a_clean_article(extract_only):
    article = _run(extract_only, ARTICLE, content_type="text/plain")
    assert [p.text for p in article.paragraphs] == ARTICLE.split("\n\n")


def test_normalisation_applies_before_offsets(extract_only):
    text = "Talks\u00a0in Seoul\u200b ended on Friday with a joint statement, the ministry said.\r\nA second line of the article follows here, ending properly."
    article = _run(extract_only, text.encode("utf-8"), content_type="text/plain", text_kind="article")
    assert article.paragraphs[0].text == "Talks in Seoul ended on Friday with a joint statement, the ministry said."
    assert "\u00a0" not in article.text and "\u200b" not in article.text


def test_same_text_same_id_whatever_the_container(extract_only):
    a = _run(extract_only, ARTICLE, content_type="text/plain", text_kind="article", uri="a.txt")
    b = _run(extract_only, ARTICLE.encode("utf-16"), content_type="text/plain", text_kind="article", uri="b.txt")
    assert a.id == b.id and a.digest != b.digest


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("   \n\n  ", "empty"),
    ],
)
def test_bad_documents_get_specific_errors(extract_only, data, code):
    article = _run(extract_only, data)
    assert article.rejected
    assert article.errors[0].code == code
    assert article.paragraphs == []
    assert not validation_errors(article.to_json())


def test_table_date_column_is_the_stated_date(extract_only):
    doc = RawDocument(
        "https://x.example/a",
        ARTICLE,
        "text/plain",
        meta={"date": "2019-07-04 09:30"},
        meta_source={"date": "column:date"},
    )
    doc.text_kind = "article"
    article = extract_only.run_batch([doc])[0]
    assert article.published.stated == "2019-07-04T09:30:00Z"
    assert article.published.stated_source == "column"


def test_url_date_is_used_when_nothing_else(extract_only):
    article = _run(
        extract_only, ARTICLE, content_type="text/plain", text_kind="article", uri="https://x.example/2018/06/05/talks"
    )
    assert article.published.stated.startswith("2018-06-05")
    assert article.published.stated_source == "url"


def test_a_crashing_stage_marks_the_document_not_the_run():
    class Exploding:
        name, needs, provides = "boom", ("text",), ()

        def setup(self):
            pass

        def process_batch(self, articles):
            if any("explode" in a.text for a in articles):
                raise RuntimeError("kaboom")
            return articles

    pipe = Pipeline(stages=[*Pipeline(nlp=False).stages, Exploding()])
    docs = [
        RawDocument("good", ARTICLE, "text/plain", text_kind="article"),
        RawDocument("bad", ARTICLE + "\n\nPlease explode now, the test says.", "text/plain", text_kind="article"),
    ]
    good, bad = pipe.run_batch(docs)
    assert not good.errors
    assert bad.errors[0].code == "internal" and "kaboom" in bad.errors[0].message


def test_stage_order_is_checked():
    class NeedsEvents:
        name, needs, provides = "late", ("events",), ()

    with pytest.raises(ConfigError, match="needs events"):
        Pipeline(stages=[NeedsEvents()])


def test_run_report_summary():
    report = RunReport(documents=1204, stored=1101, rejected=97, duplicates=6)
    report.reasons.update({"not_article": 80, "empty": 17})
    assert (
        report.summary() == "1,204 documents: 1,101 stored, 97 rejected (not an article: 80, empty: 17), 6 duplicates"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), content_type=st.sampled_from([None, "text/plain", "text/html"]))
def test_arbitrary_bytes_give_an_article_or_an_error(extract_only, data, content_type):
    article = _run(extract_only, data, content_type=content_type)
    doc = article.to_json()
    assert article.rejected or article.paragraphs
    assert not validation_errors(doc)
    for p in doc["paragraphs"]:
        assert doc["text"][p["start"] : p["end"]] == p["text"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=2000))
def test_arbitrary_text_gives_an_article_or_an_error(extract_only, text):
    article = _run(extract_only, text)
    assert article.rejected or article.paragraphs
    assert not validation_errors(article.to_json())


def test_public_process_api():
    article = dateline.process(ARTICLE, uri="https://news.example/2019/08/01/x", text_kind="article")
    doc = article.to_json()
    assert doc["source"] == {"uri": "https://news.example/2019/08/01/x", "site": "news.example"}
    assert not validation_errors(doc)


def test_user_actor_files_reach_the_resolver(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "name,aliases,country,role,titles,start,end,wikidata\n"
        "Arvid Lindqvist,Lindqvist,SWE,foreign_minister,,2019-01-01,2030-12-31,\n"
    )
    config = tmp_path / "dateline.toml"
    config.write_text('[dateline]\nactor_files = ["people.csv"]\n')
    from dateline.config import load_settings

    settings = load_settings(config)
    assert settings.actor_files == [str(people)]
    text = "Swedish Foreign Minister Arvid Lindqvist met officials in Oslo on Monday to discuss fishing rights."
    article = dateline.process(text, text_kind="article", published="2020-05-04", settings=settings)
    roles = {m.actor.name: (m.actor.country, m.actor.role) for m in article.mentions if m.actor}
    assert roles.get("Arvid Lindqvist") == ("SWE", "foreign_minister")
    plain = dateline.process(text, text_kind="article", published="2020-05-04")
    assert all(
        m.actor.role != "foreign_minister" for m in plain.mentions if m.actor and m.actor.name == "Arvid Lindqvist"
    )


@pytest.mark.parametrize(
    ("opening", "stated"),
    [
        ("SEOUL, May 27, 2018 — South Korean President Moon Jae-in said on Sunday that he met Kim.", "2018-05-27"),
        ("Panmunjom, South Korea, April 27, 2018 - The two leaders met at the border on Friday.", "2018-04-27"),
        ("LONDON, 14 March 2018 — Prime Minister Theresa May expelled 23 Russian diplomats.", "2018-03-14"),
        ("Officials met on May 27, 2018 — and again a week later, the ministry said in a statement.", None),
    ],
)
def test_a_wire_dateline_is_the_stated_date(extract_only, opening, stated):
    text = opening + "\n\nThe meeting lasted two hours and ended with a joint statement, officials said afterwards."
    article = _run(extract_only, text, content_type="text/plain", text_kind="article")
    assert article.published.stated == stated
    if stated:
        assert article.published.stated_source == "page_text"


def test_parse_events_setting_parses_only_sentences_that_can_hold_events():
    text = (
        "North Korean troops attacked a border post on Tuesday, the army said.\n\n"
        "The weather in the region was mild and the sky was clear for most of the week."
    )
    settings = Settings().replace(parse="events")
    article = dateline.process(text, text_kind="article", published="2019-03-05", settings=settings)
    ann = article.annotation
    parsed = [s.parsed for s in ann.sentences]
    assert parsed[0] is True and False in parsed
    quiet = next(s for s in ann.sentences if not s.parsed)
    assert all(t.dep == "" and t.head == t.i for t in ann.tokens[quiet.first_token : quiet.last_token])
    assert [e.event for e in article.events] == ["ASSAULT"]


def test_bad_parse_setting_is_a_config_error():
    with pytest.raises(ConfigError, match="parse must be"):
        Settings().replace(parse="some")
