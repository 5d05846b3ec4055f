r"""Characters that never appear raw in a ``.jupyter`` file, and their escapes.

A line of text that contains one of them is written as an *escaped line*: the
fourth column of its indentation holds a backslash instead of a space, and the
text uses ``\\``, ``\r``, ``\xHH`` and ``\uHHHH``.  All other lines are
verbatim, so backslashes in code and LaTeX stay as they are.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline (NUL makes git treat the file as binary, CR
# breaks line endings, VT/FF/FS/GS/RS are line breaks to str.splitlines() and to
# editors), DEL, C1 controls (NEL is a line break), the Unicode line and
# paragraph separators, and lone surrogates, which UTF-8 cannot encode.
UNSAFE_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

# The same set minus the C0 controls, which json.dumps already escapes.
JSON_UNSAFE_CHARACTER = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")

_TO_ESCAPE = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

_ESCAPE_SEQUENCE = re.compile(r"\\(?:([\\r])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))?")


class InvalidEscapeError(ValueError):
    """An escaped line holds a backslash that starts no valid escape."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def _escape_character(match: re.Match[str]) -> str:
    character = match.group()
    if character == "\\":
        return "\\\\"
    if character == "\r":
        return "\\r"
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(line: str) -> str:
    """Return the escaped form of one line of text (without the newline)."""
    return _TO_ESCAPE.sub(_escape_character, line)


def _unescape_sequence(match: re.Match[str]) -> str:
    simple, byte, unit = match.groups()
    if simple is not None:
        return "\\" if simple == "\\" else "\r"
    hex_digits = byte or unit
    if hex_digits is None:
        raise InvalidEscapeError(match.start())
    return chr(int(hex_digits, 16))


def unescape(text: str) -> str:
    """Invert :func:`escape`; raise :class:`InvalidEscapeError` on a stray backslash."""
    return _ESCAPE_SEQUENCE.sub(_unescape_sequence, text)


def json_escape(json_text: str) -> str:
    r"""Replace characters a file must not hold raw by JSON ``\uXXXX`` escapes."""
    return JSON_UNSAFE_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
