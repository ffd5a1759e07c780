"""`liyang-ip run` and `liyang-ip export` sub-commands (registered by liyang_ip.cli)."""


def register(subparsers) -> None:
    """Add the report sub-commands to the top-level parser (none yet)."""
