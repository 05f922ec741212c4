"""French typography for printed documents: spaces before double punctuation, guillemets, dates, numbers.

The spacing is fixed on the raw text and the result escaped afterwards: fixing after escaping would put a
space inside entities such as ``&amp;`` (their ``;`` looks like punctuation).
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import NBSP, french_long_date, french_number
from territories.grammar import de_noun as _de_noun
from territories.grammar import name_of

register = template.Library()

# A space (or none) before ; ! ? : when the sign ends a word, i.e. is followed by a space, the end of the
# text or a closing sign. Signs followed by anything else are left alone: URLs (https://, ?a=1), times
# (10:30), ratios.
_BEFORE_DOUBLE_PUNCTUATION = re.compile(r"(?<=[^\s«(\[/])[ \t\u202f]*([;:!?]+)(?=\s|$|[)\]»\"'])")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \t\u202f\u00a0]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \t\u202f\u00a0]*»")
_URL = re.compile(r"\b(?:https?|ftp|mailto|file):\S+")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \t\u202f]*([%‰])")
# « 1er », « 1re », « 2e », « 3es »: the letters of an ordinal print raised (after escaping: plain text in).
_ORDINAL = re.compile(r"(?<![\w.,])(\d+)(er|re|e|es)(?![\w-])")
_BULLET = re.compile(r"^(\s*)[-–•▪→*]\s+")


def fix_french_spacing(text: str) -> str:
    """« Note : x » with non-breaking spaces; URLs and times untouched."""
    urls: list[str] = []

    def keep_url(match: re.Match) -> str:
        urls.append(match.group(0))
        return f"\x00{len(urls) - 1}\x00"

    text = _URL.sub(keep_url, text)
    text = _BEFORE_DOUBLE_PUNCTUATION.sub(lambda m: NBSP + m.group(1), text)
    text = _BEFORE_PERCENT.sub(lambda m: NBSP + m.group(1), text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: urls[int(m.group(1))], text)


@register.filter(is_safe=True)
def typo_fr(value) -> SafeString:
    """Escape a stored text and give it French spacing (inline: line breaks are kept as spaces)."""
    if value is None:
        return mark_safe("")
    return mark_safe(_ORDINAL.sub(r"\1<sup>\2</sup>", escape(fix_french_spacing(str(value)))))


@register.filter(is_safe=True)
def typo_fr_paragraphs(value) -> SafeString:
    """A stored text as paragraphs: blank lines separate paragraphs, lines starting with « - » or « • »
    become a list (indented ones a sub-list), other line breaks are kept."""
    if not value:
        return mark_safe("")
    blocks = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").strip("\n"))
    html = []
    for block in blocks:
        paragraph: list[str] = []
        items: list[tuple[int, str]] = []
        for line in (line.rstrip() for line in block.split("\n") if line.strip()):
            bullet = _BULLET.match(line)
            if bullet:
                if paragraph:
                    html.append(_paragraph(paragraph))
                    paragraph = []
                items.append((2 if len(bullet.group(1).expandtabs(4)) >= 2 else 1, line[bullet.end() :]))
            else:
                if items:
                    html.append(_list(items))
                    items = []
                paragraph.append(line.strip())
        if paragraph:
            html.append(_paragraph(paragraph))
        if items:
            html.append(_list(items))
    return mark_safe("\n".join(html))


def _paragraph(lines: list[str]) -> str:
    return "<p>" + "<br>".join(typo_fr(line) for line in lines) + "</p>"


def _list(items: list[tuple[int, str]]) -> str:
    """Items of level 1 or 2: a level-2 item goes into a sub-list of the item before it."""
    html, depth = "<ul>", 1
    for position, (level, text) in enumerate(items):
        item = typo_fr(text)
        if position == 0:
            html += f"<li>{item}"
        elif level > depth:
            html += f"<ul><li>{item}"
            depth = 2
        elif level < depth:
            html += f"</li></ul></li><li>{item}"
            depth = 1
        else:
            html += f"</li><li>{item}"
    return html + "</li>" + "</ul></li>" * (depth - 1) + "</ul>"


@register.filter
def long_date(value) -> str:
    """« 13 décembre 2022 »."""
    return french_long_date(value)


@register.filter
def number_fr(value) -> str:
    """« 37 070 », « 25,1 », « -0,3 »: thousands grouped by a non-breaking space, no useless zeros."""
    return french_number(value)


# The grammar of names (territories.grammar): « {{ territory|de }} » prints « du Pays du Gier », « {{ place|a }} »
# « au Chambon-Feugerolles », « {{ party|nominal }} » « la Communauté urbaine de Dunkerque ».


@register.filter
def de(value) -> str:
    return name_of(value).de if value else ""


@register.filter(name="a")
def a_(value) -> str:
    return name_of(value).a if value else ""


@register.filter
def nominal(value) -> str:
    return name_of(value).nominal if value else ""


@register.filter
def de_noun(value) -> str:
    """« du conseil municipal », « de l'assemblée délibérante »."""
    return _de_noun(str(value)) if value else ""
