"""Settings: rules that differ by place, with the seeds' values as defaults.

Read from `portal.toml` at the content root. Every default cites its source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, make

SETTINGS_FILE = "portal.toml"
# The version of portal.toml and of the content layout this release reads. Raise it only with
# an upgrade step in _UPGRADE for every older version.
FORMAT_VERSION = 1
# What `portal init` writes where only the office can say: `check` refuses it until filled.
PLACEHOLDER = "请填写"
# Files an older content repository copied from the tool's own repository; now packaged.
COPIED_TOOL_FILES = ("mkdocs.yml", "schemas", "site_templates")
_UPGRADE = {
    0: ("format_version 0 是复制整个软件仓库的旧布局：删除仓库中的 mkdocs.yml、schemas/、site_templates/，"
        "然后把 format_version 改为 1",
        "Format 0 is the old layout copied from the tool's repository: delete mkdocs.yml, schemas/ and "
        "site_templates/ from the content repository, then set format_version = 1"),
}


@dataclass(frozen=True)
class SiteSettings:
    title: str = "安全生产监管信息公开"
    publisher: str = "区安全生产委员会办公室"
    # A public Git mirror holds public records only; `portal mirror` sets this.
    mirror: bool = False
    # The office's own look, from its `overrides/` folder (copied to the site as it is):
    # a logo ("assets/logo.png") and style sheets ("assets/local.css") under that folder.
    logo: str = ""
    extra_css: tuple[str, ...] = ()
    # What a government website shows in its footer and head (政府网站发展指引, 国办发〔2017〕47号);
    # `check` warns (W806) about each one left empty.
    organizer: str = ""  # 承办单位
    phone: str = ""
    email: str = ""
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号
    police_record: str = ""  # 公安机关备案号
    police_record_url: str = ""
    site_url: str = ""  # the public address, e.g. https://yjj.example.gov.cn/gongkai/ (sitemap, canonical links)
    feedback_url: str = ""  # 我要纠错: the platform's error-report page, or a mailto: address
    # The yearly inspections expect a home page updated at least every two weeks (W807).
    freshness_days: int = 14


@dataclass(frozen=True)
class EvaluationSettings:
    # 000 §二: evaluate 10 months to 1 year after case closure (calendar months).
    window_opens_months: int = 10
    due_months: int = 12
    # 000 §四: the group finishes within 30 days of being formed (Sichuan: 60).
    group_max_days: int = 30
    # 政府信息公开条例 art. 26: publish within 20 working days.
    publication_working_days: int = 20
    # 安委办〔2021〕4号 art. 5: item-by-item verdicts; the words vary by province.
    verdicts: tuple[str, ...] = ("落实", "基本落实", "未落实")
    # 000 §五: required contents of the report body. Each is its name, then other words a real
    # report's heading may use for it, separated by |: a heading that contains any of them,
    # numbered (一、 （一） 1. 第一部分) or worded more fully, is that section.
    required_sections: tuple[str, ...] = (
        "评估工作过程|工作过程|评估过程|组织及开展情况|开展情况|工作开展情况",
        "总体评估意见|总体意见|总体评价|评估结论|总体评估",
        "事故防范和整改措施落实情况|整改措施落实情况|措施落实情况|落实情况",
        "评估发现的主要问题|主要问题|存在问题|存在的问题|发现的问题",
        "相关工作建议|工作建议|意见建议|有关建议",
    )
    # A report published "in full" carries no cut marks (HAZARDS.md L10), from submission on.
    placeholder_tokens: tuple[str, ...] = ("（略）", "(略)", "此处略", "以下略", "××", "待补充", "TODO", "XXX")


@dataclass(frozen=True)
class LimitSettings:
    max_file_bytes: int = 1_048_576
    # HAZARDS.md Y02: cap front matter so no YAML structure can grow without bound.
    max_front_matter_bytes: int = 65_536
    max_attachment_bytes: int = 52_428_800  # 50 MiB (HAZARDS.md G03)
    # A rectification list may be a whole major-hazard database: 10,000 items fit in 8 MiB.
    max_ledger_bytes: int = 8_388_608


@dataclass(frozen=True)
class CreditSettings:
    # 应急管理部令第11号 (in force 2023-10-01): a serious-dishonesty entry is published
    # for 3 years from the listing decision, after which publication stops;
    listing_years: int = 3
    # and a listed subject may apply for early removal (credit repair) after 12 months.
    early_removal_months: int = 12


@dataclass(frozen=True)
class HazardSettings:
    # The hazard deadline table marks open items due within this many days.
    due_soon_days: int = 30
    # Check names at most this many overdue hazards per list, then sums up the rest.
    overdue_warnings_per_list: int = 10


@dataclass(frozen=True)
class CampaignSettings:
    # 001 art. 8-11: plan within 10 days of the end; self-assessment within 30 days of the end;
    # re-evaluation within 30 days of the self-assessment; review within 30 days of that.
    preparation_days: int = 10
    self_assessment_days: int = 30
    re_evaluation_days: int = 30
    review_days: int = 30
    # 001 art. 10(5): an extension request reaches the office 7 working days before the due date.
    extension_notice_working_days: int = 7
    # 001 art. 13: a campaign shorter than this many months skips the office's review.
    full_procedure_months: int = 12
    # 001 art. 5: the nine contents of the overall report, as level-2 headings of the body.
    required_sections: tuple[str, ...] = (
        "目标任务完成情况", "问题隐患整改情况", "长效机制建立情况", "生产安全事故情况", "树牢安全发展理念情况",
        "落实安全生产责任情况", "化解重大安全风险情况", "强化监管执法效能情况", "其他情况",
    )
    # 002 附件3: experience items per topic (lead department ≥5, other departments ≥1, towns ≥5)
    experience_min_lead: int = 5
    experience_min_other: int = 1
    experience_min_town: int = 5
    # and institutional documents per topic (lead department 3-5, other departments 1-2, towns optional).
    documents_min_lead: int = 3
    documents_max_lead: int = 5
    documents_min_other: int = 1
    documents_max_other: int = 2


@dataclass(frozen=True)
class UnitSettings:
    """Named groups a directive may address instead of listing units one by one."""

    towns: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    lead_departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    site: SiteSettings = field(default_factory=SiteSettings)
    evaluation: EvaluationSettings = field(default_factory=EvaluationSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    credit: CreditSettings = field(default_factory=CreditSettings)
    hazards: HazardSettings = field(default_factory=HazardSettings)
    campaign: CampaignSettings = field(default_factory=CampaignSettings)
    units: UnitSettings = field(default_factory=UnitSettings)


def _apply(section: Any, values: dict[str, Any], name: str) -> Any:
    known = {f.name: f for f in fields(section)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"[{name}] 未知设置 {key} / unknown setting {key}")
        default = getattr(section, key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"[{name}] {key} 应为文字列表 / must be a list of strings")
            value = tuple(value)
        elif type(value) is not type(default):
            raise ValueError(f"[{name}] {key} 类型应为 {type(default).__name__} / must be {type(default).__name__}")
        changes[key] = value
    return replace(section, **changes)


def load_settings(root: Path) -> Settings | Diagnostic:
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        found = raw.pop("format_version", FORMAT_VERSION)
        if found != FORMAT_VERSION or isinstance(found, bool):
            return _format_error(found)
        settings = Settings()
        # A roll-up repository's members: read by `portal rollup` (generator/rollup/config.py).
        raw.pop("rollup", None)
        sections = {f.name: f for f in fields(Settings)}
        for name, values in raw.items():
            if name not in sections or not isinstance(values, dict):
                raise ValueError(f"未知配置节 [{name}] / unknown section [{name}]")
            settings = replace(settings, **{name: _apply(getattr(settings, name), values, name)})
        return settings
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        return make("E801", SETTINGS_FILE, detail=str(exc))


def _format_error(found: object) -> Diagnostic:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("safety-portal")
    except PackageNotFoundError:
        installed = "?"
    if isinstance(found, int) and not isinstance(found, bool) and found > FORMAT_VERSION:
        upgrade = ("这个内容仓库是为更新版本的软件写的：请升级软件（pip install -U safety-portal）",
                   "This content repository is for a newer portal: upgrade it (pip install -U safety-portal)")
    else:
        upgrade = _UPGRADE.get(found if isinstance(found, int) else 0, _UPGRADE[0])
    return make("E803", SETTINGS_FILE, field="format_version", found=repr(found), supported=FORMAT_VERSION,
                version=installed, upgrade=upgrade[0], upgrade_en=upgrade[1])


# The site identity a public site must show, in the order the footer shows it (W806).
IDENTITY_FIELDS = {"publisher": "主办单位", "organizer": "承办单位", "phone": "联系电话", "email": "电子邮箱",
                   "site_code": "网站标识码", "icp": "ICP备案号", "police_record": "公安机关备案号",
                   "site_url": "网站地址", "feedback_url": "纠错链接"}


def identity_findings(settings: Settings) -> list[Diagnostic]:
    """W806 for each identity field a public site leaves empty (a mirror is no site)."""
    if settings.site.mirror:
        return []
    defaults = SiteSettings()  # the generic default publisher names no office
    return [make("W806", SETTINGS_FILE, field=f"site.{name}", what=zh)
            for name, zh in IDENTITY_FIELDS.items()
            if not getattr(settings.site, name).strip() or getattr(settings.site, name) == getattr(defaults, name)]


def settings_findings(root: Path) -> list[Diagnostic]:
    """What a readable portal.toml still lacks: an unfilled placeholder (E802) is an error, a
    missing format version (W804) and files copied from the tool's repository (W805) warnings."""
    from generator.resources import DATA_DIR

    path = root / SETTINGS_FILE
    findings: list[Diagnostic] = []
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        if not any(line.strip().startswith("format_version") for line in lines):
            findings.append(make("W804", SETTINGS_FILE, supported=FORMAT_VERSION))
        section = ""
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                section = stripped.strip("[] ")
            elif PLACEHOLDER in line and "=" in line and not stripped.startswith("#"):
                key, _, value = line.partition("=")
                column = line.index(PLACEHOLDER) + 1
                field = f"{section}.{key.strip()}" if section else key.strip()
                findings.append(make("E802", SETTINGS_FILE, number, column, field=field,
                                     value=value.strip().strip('"')[:40]))
    if root.resolve() != DATA_DIR.resolve():  # this tool's own checkout holds the sources themselves
        findings += [make("W805", name, name=name) for name in COPIED_TOOL_FILES if (root / name).exists()]
    return findings
