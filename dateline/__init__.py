"""dateline: raw news in, auditable event data out.

>>> import dateline
>>> article = dateline.process("Japan and North Korea held talks in Ulaanbaatar on Tuesday.")
>>> article.to_json()["paragraphs"][0]["text"]
'Japan and North Korea held talks in Ulaanbaatar on Tuesday.'
>>> [(e["event"], [a["country"] for a in e["actor"]]) for e in article.to_json()["events"]]
[('CONSULT', ['JPN', 'PRK'])]
"""

from dateline.errors import DatelineError
from dateline.pipeline import Pipeline, RunReport, process
from dateline.records import Article, RawDocument

__version__ = "0.1.0"
__all__ = ["Article", "DatelineError", "Pipeline", "RawDocument", "RunReport", "__version__", "process"]
