"""Where everything lives under the releases directory (Capistrano-style layout)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import DeployError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DEFAULT_RELEASES_DIR = PROJECT_ROOT / "releases"


@dataclass(frozen=True)
class Layout:
    """Paths of one releases directory."""

    root: Path

    @property
    def repo(self) -> Path:
        return self.root / "repo.git"

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def scratch(self) -> Path:
        return self.root / ".deploy_tmp"

    @property
    def lock(self) -> Path:
        return self.root / "deploy.lock"

    @property
    def log(self) -> Path:
        return self.root / "deploy.log"

    @property
    def history(self) -> Path:
        return self.root / "history.jsonl"

    @property
    def pruned(self) -> Path:
        """One line per pruned release (so a rollback to it can say what happened)."""
        return self.root / "pruned.jsonl"

    @property
    def cache(self) -> Path:
        """Build cache: `DEPLOY_CACHE_DIR` if set, else `releases/cache`."""
        override = os.environ.get("DEPLOY_CACHE_DIR")
        return Path(override).resolve() if override else self.root / "cache"

    @property
    def hook(self) -> Path:
        return self.repo / "hooks" / "post-receive"

    def require_initialised(self) -> None:
        """Raise unless `python -m deploy init` has set this directory up."""
        if not (self.repo / "HEAD").is_file() or not self.backups.is_dir():
            raise DeployError(
                f"{self.root} is not an initialised releases directory; "
                f"run: python -m deploy init --releases {self.root}"
            )


def resolve_layout(releases: str | os.PathLike[str] | None = None) -> Layout:
    """`--releases`, else `$RELEASES_DIR`, else `releases/` beside the project checkout."""
    chosen = releases or os.environ.get("RELEASES_DIR") or DEFAULT_RELEASES_DIR
    return Layout(Path(chosen).expanduser().resolve())
