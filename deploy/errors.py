"""The one exception type the release tooling raises for expected failures."""


class DeployError(Exception):
    """A deploy, rollback or prune that cannot go on; the message says why."""
