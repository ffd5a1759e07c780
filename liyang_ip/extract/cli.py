"""`liyang-ip data extract` (registered by liyang_ip.cli under `data`)."""


def register(data_subparsers) -> None:
    """Add `extract` to the `data` sub-command group (none yet)."""
