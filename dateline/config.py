"""Settings: defaults < dateline.toml < DATELINE_* environment variables < flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.errors import ConfigError

TEXT_KINDS = ("auto", "page", "article")


@dataclass
class Settings:
    db: str = "dateline.duckdb"
    workers: int = 1
    text_kind: str = "auto"
    spacy_model: str = "en_core_web_sm"
    batch_size: int = 64
    # "all": parse every sentence (output identical to spaCy's nlp.pipe); "events": run the
    # dependency parser only on sentences holding a candidate event trigger (faster; unparsed
    # sentences have dep="" and each token as its own head)
    parse: str = "all"
    max_document_bytes: int = 20_000_000  # larger documents are rejected as too_large
    extract_timeout: float = 20.0  # seconds for one HTML page
    min_article_chars: int = 200  # a page with less main text than this is not an article
    # the user's own actor tables (CSV/TOML in the shipped columns) and CAMEO/PETRARCH dictionaries
    actor_files: list[str] = field(default_factory=list)
    # tabular inputs: which column holds what (news-please's JSON keys work as they are)
    columns: dict[str, list[str]] = field(
        default_factory=lambda: {
            "text": ["text", "maintext", "body", "content", "article", "article_text"],
            "html": ["html", "raw_html", "content_html", "page"],
            "url": ["url", "uri", "link", "source_url"],
            "date": ["date", "date_publish", "published", "publish_date", "pub_date", "datetime"],
            "title": ["title", "headline"],
            "id": ["id", "doc_id", "article_id"],
        }
    )

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; None values leave a field as it is."""
        clean = {k: v for k, v in changes.items() if v is not None}
        unknown = set(clean) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
        new = dataclasses.replace(self, **clean)
        new.validate()
        return new

    def validate(self) -> None:
        if self.text_kind not in TEXT_KINDS:
            raise ConfigError(f"text_kind must be one of {', '.join(TEXT_KINDS)}, not {self.text_kind!r}")
        if self.parse not in ("all", "events"):
            raise ConfigError(f"parse must be 'all' or 'events', not {self.parse!r}")
        if self.workers < 1:
            raise ConfigError(f"workers must be at least 1, not {self.workers}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, not {self.batch_size}")


def load_settings(config_file: str | Path | None = None, **flags: Any) -> Settings:
    """Build the settings for a run; ``flags`` are the command line's (None = not given)."""
    settings = Settings()
    path = Path(config_file) if config_file else Path("dateline.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        section = data.get("dateline", data)
        settings = settings.replace(**{k: v for k, v in section.items() if not isinstance(v, dict) or k == "columns"})
        # relative actor files are relative to the settings file
        settings.actor_files = [str((path.parent / f).resolve()) for f in settings.actor_files]
    elif config_file:
        raise ConfigError(f"Config file {path} does not exist")
    env: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        raw = os.environ.get(f"DATELINE_{f.name.upper()}")
        if raw is None or f.name in ("columns", "actor_files"):
            continue
        kind = type(getattr(settings, f.name))
        try:
            env[f.name] = kind(raw)
        except ValueError as exc:
            raise ConfigError(f"DATELINE_{f.name.upper()}={raw!r} is not a valid {kind.__name__}") from exc
    if os.environ.get("DATELINE_ACTOR_FILES"):
        env["actor_files"] = os.environ["DATELINE_ACTOR_FILES"].split(os.pathsep)
    settings = settings.replace(**env)
    return settings.replace(**flags)
