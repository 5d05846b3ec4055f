"""How the merge treats outputs that both sides changed: the configurable rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._exceptions import ConfigError
from .._volatile import MERGE_TABLE, TABLE

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Rule a: only one side re-ran a cell (changed its outputs or count).
ONE_RAN = ("take", "conflict")
#: Rule b: both re-ran a cell whose source is the same on both sides.
BOTH_RAN = ("ours", "theirs", "conflict")
#: Rule c: one side edited and re-ran a cell, the other only re-ran it.
EDIT_AND_RERUN = ("editor", "conflict")
#: Rule d: both edited the source, and the line merge combined the edits.
COMBINED_SOURCE = ("clear", "ours", "theirs", "conflict")


@dataclass(frozen=True)
class MergeSettings:
    """The choices of the merge rules for outputs and execution counts."""

    one_ran: str = "take"
    both_ran: str = "ours"
    edit_and_rerun: str = "editor"
    combined_source: str = "clear"

    def __post_init__(self) -> None:
        for name, choices in (
            ("one_ran", ONE_RAN),
            ("both_ran", BOTH_RAN),
            ("edit_and_rerun", EDIT_AND_RERUN),
            ("combined_source", COMBINED_SOURCE),
        ):
            if getattr(self, name) not in choices:
                allowed = ", ".join(choices)
                setting = name.replace("_", "-")
                raise ConfigError(
                    f"{setting} must be one of {allowed}, not {getattr(self, name)!r}"
                )


#: The settings by their names in ``[tool.jupyter-format.merge]``, git config and flags.
SETTING_NAMES = {
    "one-ran": "one_ran",
    "both-ran": "both_ran",
    "edit-and-rerun": "edit_and_rerun",
    "combined-source": "combined_source",
}


def settings_from(
    table: Any, git_config: Mapping[str, str], flags: Mapping[str, str | None], source: str
) -> MergeSettings:
    """The settings of a merge: flags over git config over ``pyproject.toml`` over defaults.

    :param table: the ``[tool.jupyter-format]`` table that applies, or None.
    :param git_config: ``jupyter-format.merge.NAME`` values from git, by NAME.
    :raises ConfigError: for unknown names and values.
    """
    chosen: dict[str, str] = {}
    merge_table = table.get(MERGE_TABLE, {}) if isinstance(table, dict) else {}
    if not isinstance(merge_table, dict):
        raise ConfigError(f"{source}: [{TABLE}.{MERGE_TABLE}] must be a table")
    for layer, where in (
        (merge_table, f"{source}: [{TABLE}.{MERGE_TABLE}]"),
        (git_config, "git config jupyter-format.merge"),
        ({name: value for name, value in flags.items() if value is not None}, "option"),
    ):
        for name, value in layer.items():
            if name not in SETTING_NAMES:
                known = ", ".join(SETTING_NAMES)
                raise ConfigError(f"{where}: unknown setting {name!r} (known: {known})")
            if not isinstance(value, str):
                raise ConfigError(f"{where}: {name} must be a string")
            chosen[SETTING_NAMES[name]] = value
    try:
        return MergeSettings(**chosen)
    except ConfigError as error:
        raise ConfigError(f"merge settings: {error}") from None
