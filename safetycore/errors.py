"""Errors the command line turns into exit codes (see safetycore/__main__.py)."""


class UsageError(Exception):
    """Bad arguments, or input that cannot be read as what it claims to be: exit code 2.

    The message says what is wrong and what to do.
    """
