"""Run MkDocs on a staged docs dir into a fresh output dir."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.build.mkdocs_hooks import STAGED_MARKER

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

# The navigation lists sections and index pages, never every record: a full
# navigation in every page grows the output with the square of the record count.
NAV = [
    {"首页": "index.md"},
    {"搜索": "search.md"},
    {"评估期限表": "deadlines.md"},
    {"评估报告": "evaluations/index.md"},
    {"事故": "accidents/index.md"},
    {"隐患整改": [
        {"隐患整改期限表": "hazards.md"},
        {"隐患整改清单": "rectifications/index.md"},
    ]},
    {"执法案例": [
        {"典型案例": "enforcement/typical.md"},
        {"全部案例": "enforcement/index.md"},
        {"按处理结果": "enforcement/by-outcome.md"},
        {"按执法机关": "enforcement/by-agency.md"},
        {"按年度": "enforcement/by-year.md"},
    ]},
    {"失信名单": "credit/index.md"},
    {"专项整治": [
        {"全部专项整治": "campaigns/index.md"},
        {"按年度": "campaigns/by-year.md"},
        {"按专题": "campaigns/by-topic.md"},
    ]},
    {"报送要求": "directives/index.md"},
    {"事故统计": "statistics.md"},
    {"分类索引": [
        {"按年度": "indices/by-year.md"},
        {"按辖区": "indices/by-jurisdiction.md"},
        {"按行业领域": "indices/by-sector.md"},
        {"按事故等级": "indices/by-level.md"},
    ]},
    {"数据规范": "schemas/index.md"},
]


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build can say which ones."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def config_file(root: Path) -> Path:
    own = root / "mkdocs.yml"
    return own if own.is_file() else PROJECT_DIR / "mkdocs.yml"


def run_mkdocs(root: Path, docs_dir: Path, out_dir: Path, site_name: str, as_of: dt.date) -> None:
    (docs_dir / STAGED_MARKER).write_text("staged by portal build\n", encoding="utf-8")
    # Reproducible output: MkDocs stamps sitemap dates and gzip headers from this.
    epoch = int(dt.datetime.combine(as_of, dt.time(), dt.timezone.utc).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    warnings = _Collect()
    logger.addHandler(warnings)
    try:
        config = load_config(config_file=str(config_file(root)), docs_dir=str(docs_dir), site_dir=str(out_dir),
                             site_name=site_name, nav=NAV)
        try:
            mkdocs_build(config)
        except Abort as exc:
            # "Aborted with 1 warnings in strict mode!" alone does not say what to fix.
            raise Abort(f"{exc}: " + " | ".join(warnings.messages[:5])) from exc
    finally:
        logger.removeHandler(warnings)
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
