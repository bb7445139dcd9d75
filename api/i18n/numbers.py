"""Numbers in the reader's language, by Babel (CLDR): written ("12 500,50" / "12,500.50")
and read back from a form ("0,1" and "0.1" both read 0.1 in French)."""

from __future__ import annotations

from decimal import Decimal

from babel import numbers as cldr

from api.i18n.dates import locale_of


def format_number(value: float | int | Decimal, lang: str, *, digits: int | None = None) -> str:
    """`value` with the language's separators (`digits` decimals when given)."""
    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return cldr.format_decimal(value, format=pattern, locale=locale_of(lang))


def parse_number(text: str, lang: str) -> Decimal:
    """A number typed in `lang` (spaces or the language's group separator between
    thousands; its decimal sign, or a dot); ValueError when it is not one."""
    try:
        return cldr.parse_decimal(text.strip(), locale=locale_of(lang))
    except cldr.NumberFormatError as exc:
        raise ValueError(str(exc)) from None
