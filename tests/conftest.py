from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI runs every property with 2,000 examples; HYPOTHESIS_PROFILE=dev is quicker.
settings.register_profile(
    "ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(os.environ.get("JUPYTER_FORMAT_CORPUS", SHARED / "corpus"))
COMPAT = Path(__file__).parent / "compat"


@pytest.fixture(scope="session")
def corpus_notebooks() -> list[Path]:
    """The real-world notebooks of the shared corpus, when it is present."""
    notebooks = sorted((CORPUS / "ipynb").rglob("*.ipynb"))
    if not notebooks:
        pytest.skip(f"the notebook corpus is not present at {CORPUS}")
    return notebooks


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    # Lets fixtures see whether the test failed (the browser tests photograph it).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
