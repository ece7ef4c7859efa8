"""Language detection with py3langid."""

from __future__ import annotations

import pytest

from dateline.extract.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The foreign ministers agreed on Monday to reopen a maritime corridor for grain exports.", "en"),
        ("Die Außenminister einigten sich am Montag darauf, einen Seekorridor für Getreide zu öffnen.", "de"),
        ("Les ministres des Affaires étrangères ont convenu lundi de rouvrir un corridor maritime.", "fr"),
        ("Los ministros de Exteriores acordaron el lunes reabrir un corredor marítimo para el grano.", "es"),
        ("Министры иностранных дел договорились в понедельник вновь открыть морской коридор.", "ru"),
    ],
)
def test_detects_common_languages(text: str, expected: str) -> None:
    language, confidence = detect_language(text)
    assert language == expected
    assert 0.5 <= confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "ok", "12345 67890 !!!", "https://t.co/x"])
def test_too_short_or_no_letters(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_unsure_gives_none() -> None:
    language, confidence = detect_language("Tokyo Seoul Beijing Moscow")
    assert language is None
    assert confidence < 0.5


def test_long_text_is_sampled() -> None:
    text = "The minister resigned on Monday after weeks of pressure. " * 2000
    assert detect_language(text)[0] == "en"
