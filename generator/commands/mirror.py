"""`portal mirror DIR`: a public Git mirror holding exactly the public records.

The working content repository stays private (a report may not be disclosed
before it is approved, 000 §六, and a pull request in a public repository would
disclose it). The mirror lets the public follow every correction in Git.
Withdrawn records are left out: their notice is on the site, and the mirror's
own history shows when they went.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from generator.model import Accident
from generator.publish import is_public, public_front_matter
from generator.repository import Repository
from generator.rules.attachments import attachment_path

MIRROR_SETTINGS = """# Public mirror written by `portal mirror`: public records only. Do not edit by hand.
[site]
mirror = true
"""


def write_mirror(repo: Repository, root: Path, target: Path, as_of: dt.date, settings_text: str) -> int:
    content = target / "content"
    if content.exists():
        shutil.rmtree(content)  # records that stopped being public must leave the mirror too
    count = 0
    public_accidents = {r.id for r in repo.records if isinstance(r, Accident) and is_public(r, as_of)}
    for record in repo.records:
        if not is_public(record, as_of):
            continue
        files = [Path(record.path)] + [Path(attachment_path(record.path, a.file)) for a in record.attachments]
        for rel in files:
            destination = target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, destination, follow_symlinks=False)
        data = repo.documents[record.path].data
        published = public_front_matter(record, data, public_accidents)
        if published is not data:
            # Part of the front matter is not public yet: write it out again without that part.
            front = yaml.safe_dump(published, allow_unicode=True, sort_keys=False, default_flow_style=False)
            (target / record.path).write_text(f"---\n{front}---\n{record.body}", encoding="utf-8")
        count += 1
    (target / "portal.toml").write_text(_mirror_settings(settings_text), encoding="utf-8")
    return count


def _mirror_settings(original: str) -> str:
    """The source's settings with `mirror = true` in [site]."""
    if "[site]" in original:
        return original.replace("[site]", "[site]\nmirror = true", 1)
    return MIRROR_SETTINGS + original
