"""`python -m deploy`: init, deploy, list, status, rollback, prune."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence

from .errors import DeployError
from .gitrepo import ref_tip
from .layout import Layout, resolve_layout
from .lock import describe_holder, is_locked, lock_timeout_from_env
from .log import log, setup_logging
from .releases import current_state, list_releases, live_release_id, read_history

PRODUCTION_REF = "refs/heads/production"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--releases",
        metavar="DIR",
        help="releases directory (default: $RELEASES_DIR, else releases/ beside the checkout)",
    )
    locking = argparse.ArgumentParser(add_help=False)
    locking.add_argument(
        "--lock-timeout",
        type=float,
        metavar="SECONDS",
        help="how long to wait for a running deploy (default: $DEPLOY_LOCK_TIMEOUT, else 600)",
    )

    parser = argparse.ArgumentParser(
        prog="python -m deploy",
        description="Release pipeline: timestamped releases, atomic `current` switch, rollback.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init", parents=[common], help="create the releases layout, bare repo and hook"
    )
    init.add_argument("--force", action="store_true", help="replace a foreign post-receive hook")

    deploy = commands.add_parser(
        "deploy", parents=[common, locking], help="build, verify and publish one commit"
    )
    deploy.add_argument("commit", help="commit hash, branch or tag in releases/repo.git")
    deploy.add_argument("--ref", help="the ref that was pushed (recorded; set by the hook)")
    deploy.add_argument("--trigger", choices=("manual", "push"), default="manual")

    listing = commands.add_parser("list", parents=[common], help="list releases, oldest first")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    status = commands.add_parser("status", parents=[common], help="what is live, lock state")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    rollback = commands.add_parser(
        "rollback", parents=[common, locking], help="make an earlier release live again"
    )
    rollback.add_argument(
        "release", nargs="?", help="release id or unique prefix (default: the previous one)"
    )

    prune = commands.add_parser(
        "prune", parents=[common, locking], help="delete old releases, never the live one"
    )
    prune.add_argument("--keep", type=int, required=True, metavar="N", help="newest N to keep")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    layout = resolve_layout(args.releases)
    writes_log = args.command in ("deploy", "rollback", "prune")
    setup_logging(layout.log if writes_log else None)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        return COMMANDS[args.command](layout, args)
    except (DeployError, OSError) as err:
        log.error("error: %s", err)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; the live release is unchanged")
        return 130


def _exit_on_signal(signum: int, _frame) -> None:
    """Turn SIGTERM into SystemExit so a running deploy cleans up and leaves `current` alone."""
    log.error("stopped by signal %d", signum)
    sys.exit(128 + signum)


def cmd_init(layout: Layout, args: argparse.Namespace) -> int:
    from .server import init

    for line in init(layout, force=args.force) or [f"{layout.root} is already set up"]:
        print(line)
    print(f"push with: git remote add server <host>:{layout.repo} && git push server production")
    return 0


def cmd_deploy(layout: Layout, args: argparse.Namespace) -> int:
    from .publish import deploy

    release = deploy(layout, args.commit, args.trigger, args.ref, _lock_timeout(args))
    print(release.id)
    return 0


def cmd_list(layout: Layout, args: argparse.Namespace) -> int:
    layout.require_initialised()
    live = live_release_id(layout)
    rows = [dict(r.record, release=r.id, live=r.id == live) for r in list_releases(layout)]
    if args.json:
        print(json.dumps(rows, indent=2, sort_keys=True))
        return 0
    if not rows:
        print("no releases yet")
    for row in rows:
        print(_format_row(row))
    return 0


def cmd_status(layout: Layout, args: argparse.Namespace) -> int:
    layout.require_initialised()
    info = status_info(layout)
    if args.json:
        print(json.dumps(info, indent=2, sort_keys=True))
        return 0
    live = info["live"]
    print(f"releases:   {layout.root}")
    print(f"live:       {_format_row(live) if live else 'nothing (no release published yet)'}")
    if info["current"] != "live":
        print(f"current:    {info['current_problem']}")
    print(f"production: {info['production'] or 'not pushed yet'}")
    if live and info["production"] and live["commit"] != info["production"]:
        print("            (the live release is not the tip of production)")
    print(f"releases:   {info['count']}")
    print(f"deploying:  {info['deploying'] or 'no'}")
    return 0 if info["current"] in ("live", "none") else 1


def status_info(layout: Layout) -> dict:
    """What is live, how many releases, what production points to, whether a deploy runs."""
    live_id = live_release_id(layout)
    releases = list_releases(layout)
    live = next(
        (dict(r.record, release=r.id, live=True) for r in releases if r.id == live_id), None
    )
    state, detail = current_state(layout)
    problems = {
        "none": "no release published yet",
        "missing": f"MISSING: {layout.current} does not exist; repair: python -m deploy rollback",
        "dangling": f"DANGLING: {layout.current} -> {detail}, which is not a complete release; "
        "repair: python -m deploy rollback",
        "foreign": f"NOT A RELEASE LINK: {layout.current} ({detail}); move it away, then "
        "python -m deploy rollback",
    }
    history = read_history(layout)
    if live and history and history[-1]["release"] == live_id:
        live["went_live"] = history[-1]["time"]
        live["went_live_by"] = history[-1]["trigger"]
    return {
        "live": live,
        "current": state,
        "current_problem": problems.get(state),
        "count": len(releases),
        "production": ref_tip(layout.repo, PRODUCTION_REF),
        "deploying": describe_holder(layout.lock) if is_locked(layout.lock) else None,
    }


def cmd_rollback(layout: Layout, args: argparse.Namespace) -> int:
    from .rollback import rollback

    release = rollback(layout, args.release, _lock_timeout(args))
    print(release.id)
    return 0


def cmd_prune(layout: Layout, args: argparse.Namespace) -> int:
    from .rollback import prune

    for release_id in prune(layout, args.keep, _lock_timeout(args)):
        print(f"removed {release_id}")
    return 0


COMMANDS = {
    "init": cmd_init,
    "deploy": cmd_deploy,
    "list": cmd_list,
    "status": cmd_status,
    "rollback": cmd_rollback,
    "prune": cmd_prune,
}


def _lock_timeout(args: argparse.Namespace) -> float:
    return args.lock_timeout if args.lock_timeout is not None else lock_timeout_from_env()


def _format_row(row: dict) -> str:
    marker = "*" if row.get("live") else " "
    notes = " (superseded by a newer push)" if row.get("superseded") else ""
    return (
        f"{marker} {row['release']}  {str(row.get('commit', '?'))[:12]:12}  "
        f"{row.get('timestamp', '?')}  {row.get('trigger', '?'):6}  "
        f"{row.get('ref') or row.get('requested') or '-'}  {row.get('user', '?')}{notes}"
    )
