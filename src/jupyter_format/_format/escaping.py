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
# editors).  json.dumps escapes these itself.
_C0_CONTROLS = r"\x00-\x08\x0b-\x1f"

# DEL, C1 controls (NEL is a line break), the Unicode line and paragraph
# separators, lone surrogates (UTF-8 cannot encode them), and the invisible
# format characters: bidirectional controls and marks, which reorder what a
# reviewer sees ("Trojan Source", CVE-2021-42574), and characters that show as
# nothing.  These are the format characters (category Cf) of the BMP except the
# visible prepended concatenation marks (U+0600..U+0605, U+06DD, U+070F,
# U+0890, U+0891, U+08E2) and the joiners that scripts and emoji need to be
# spelled right: ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER and MONGOLIAN VOWEL
# SEPARATOR.  Format characters beyond the BMP (tags, musical and shorthand
# controls) cannot be written as \uHHHH, so they stay raw.
_OTHER_UNSAFE = (
    r"\x7f-\x9f\u2028\u2029\ud800-\udfff"
    r"\xad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    r"\ufeff\ufff9-\ufffb"
)

UNSAFE_CHARACTER = re.compile(f"[{_C0_CONTROLS}{_OTHER_UNSAFE}]")

# What JSON blocks escape beyond what json.dumps does (none of it ASCII).
JSON_UNSAFE_CHARACTER = re.compile(f"[{_OTHER_UNSAFE}]")

# The ASCII characters that UNSAFE_CHARACTER does not match.
_SAFE_ASCII = bytes(code for code in range(0x80) if code in (0x09, 0x0A) or 0x20 <= code < 0x7F)


def has_unsafe_character(text: str) -> bool:
    """Tell whether *text* holds a character that UNSAFE_CHARACTER matches."""
    if text.isascii():
        # Deleting the safe bytes is several times faster than the search, and
        # images and most text are ASCII (which CPython knows of every string).
        return bool(text.encode("ascii").translate(None, _SAFE_ASCII))
    return UNSAFE_CHARACTER.search(text) is not None


_TO_ESCAPE = re.compile(f"[\\\\{_C0_CONTROLS}{_OTHER_UNSAFE}]")

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
