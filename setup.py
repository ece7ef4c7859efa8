"""The one compiled part of dateline: the line labeller's character pass (everything else is in pyproject.toml).

It is optional: where no C compiler is at hand the build goes on without it, and
``dateline/extract/line_features.py`` runs its numpy path, which gives the same numbers, slower.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("dateline.extract._linescan", ["dateline/extract/_linescan.c"], optional=True)])
