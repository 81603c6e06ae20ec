"""The one Markdown renderer for course text: safe, small HTML with the containers authors use."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from PIL import Image, UnidentifiedImageError

from academy.content.errors import Problem

# Named blocks an author may use with `::: name`; print CSS and the checker know each one.
CONTAINERS = ("note", "activity", "warning", "facilitator")

# Shown above each block, in the language of the text around it.
CONTAINER_LABELS = {
    "en": {
        "note": "Note",
        "activity": "Activity",
        "warning": "Take care",
        "facilitator": "For the facilitator",
        "share": "Activity to share with your group",
    },
    "fr": {
        "note": "À savoir",
        "activity": "Activité",
        "warning": "Attention",
        "facilitator": "Pour l'animation",
        "share": "Activité à partager avec votre groupe",
    },
    "es": {
        "note": "Nota",
        "activity": "Actividad",
        "warning": "Cuidado",
        "facilitator": "Para quien facilita",
        "share": "Actividad para compartir con tu grupo",
    },
    "ru": {
        "note": "Примечание",
        "activity": "Задание",
        "warning": "Осторожно",
        "facilitator": "Для ведущего",
        "share": "Задание: поделитесь ответом с группой",
    },
}

ALLOWED_SCHEMES = ("https", "mailto", "tel")
VAGUE_LINK_TEXT = {"click here", "here", "this link", "link", "read more", "more"}
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}

MediaUrl = Callable[[str, str], str]


@dataclass
class Rendered:
    """HTML for one Markdown text, the problems found while rendering, and the media it uses."""

    html: str
    problems: list[Problem] = field(default_factory=list)
    media: dict[str, MediaFile] = field(default_factory=dict)
    # The text of each `::: activity share` block, in order: what a cohort answers together.
    shared: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MediaFile:
    """An image a text uses: the file on disk and its MIME type."""

    path: Path
    mime: str


@cache
def _parser() -> MarkdownIt:
    """CommonMark with tables and `:::` containers; raw HTML is off."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    # One permissive container rule, so that an unknown name is seen and reported, not
    # silently printed as text.
    container_plugin(md, "box", validate=lambda params, *_: bool(params.strip()))
    # Every link is kept through parsing and judged afterwards against ALLOWED_SCHEMES, so the
    # author gets a message instead of a link that silently turns into text.
    md.validateLink = lambda url: True
    md.add_render_rule("image", _render_image)
    md.add_render_rule("container_box_open", _render_container_open)
    return md


def render_markdown(
    text: str,
    *,
    path: str,
    first_line: int = 1,
    module_dir: Path | None = None,
    media_url: MediaUrl | None = None,
    audience: str = "trainee",
    language: str = "en",
) -> Rendered:
    """Render course Markdown to HTML; `path` and `first_line` locate problems in the file."""
    result = Rendered(html="")
    context = _Context(path, first_line, module_dir, media_url, language, result)
    md = _parser()
    tokens = md.parse(text, {})
    if audience == "trainee":
        tokens = _drop_containers(tokens, "facilitator")
    context.walk(tokens)
    result.html = md.renderer.render(tokens, md.options, {})
    return result


def parse_tokens(text: str) -> list[Token]:
    """Course Markdown as markdown-it tokens, for readers of structure (agendas, tables)."""
    return _parser().parse(text, {})


def render_inline(text: str, *, path: str, line: int, language: str = "en") -> Rendered:
    """Render one line of course text (a quiz question or option): emphasis and safe links."""
    result = Rendered(html="")
    context = _Context(path, line, None, None, language, result)
    md = _parser()
    tokens = md.parseInline(text.strip(), {})
    for token in tokens:
        token.map = [0, 1]  # one line: every problem points at `line`
        if token.children:
            token.children = context.inline(token, token.children)
    result.html = md.renderer.render(tokens, md.options, {})
    return result


def _drop_containers(tokens: list[Token], name: str) -> list[Token]:
    """Remove every `::: name` block, with everything inside it."""
    kept: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == "container_box_open" and (depth or _container_name(token) == name):
            depth += 1
        elif token.type == "container_box_close" and depth:
            depth -= 1
        elif not depth:
            kept.append(token)
    return kept


def _container_name(token: Token) -> str:
    """The name after `:::` (`::: warning Police` is a warning)."""
    return token.info.strip().split(" ", 1)[0].lower()


@dataclass
class _Context:
    """State for one render: where problems point and how media is found and addressed."""

    path: str
    first_line: int
    module_dir: Path | None
    media_url: MediaUrl | None
    language: str
    result: Rendered
    headings: int = 0
    last_level: int = 1
    open_blocks: list[Token] = field(default_factory=list)
    sharing: list[str] | None = None  # the words of the shared activity being read

    def problem(self, token: Token, message: str, code: str, severity: str = "error") -> None:
        """Record a problem at the token's line in the file."""
        line = self.first_line + (token.map[0] if token.map else 0)
        self.result.problems.append(Problem(self.path, line, message, code, severity))

    def walk(self, tokens: Sequence[Token], block: Token | None = None) -> None:
        """Check and decorate every token: headings, containers, links and images."""
        for token in tokens:
            if token.type == "heading_open":
                self.heading(token)
            elif token.type == "container_box_open":
                self.container(token)
                self.open_blocks.append(token)
            elif token.type == "container_box_close" and self.open_blocks:
                opening = self.open_blocks.pop()
                token.tag = opening.tag
                if (opening.meta or {}).get("shared") and self.sharing is not None:
                    self.result.shared.append(" ".join(self.sharing))
                    self.sharing = None
            elif token.type == "inline" and token.children:
                if self.sharing is not None:
                    self.sharing.append(token.content)
                token.children = self.inline(token, token.children)

    def heading(self, token: Token) -> None:
        """Give the heading an opaque anchor and check that levels do not skip."""
        # Anchors are s1, s2...: a fragment made of heading words would name the topic in
        # the browser history of a shared phone.
        self.headings += 1
        token.attrSet("id", f"s{self.headings}")
        level = int(token.tag[1])
        if level == 1:
            self.problem(
                token,
                "use '##' for sections: the page already has the title as its only top heading",
                "markdown.heading-level",
                "warning",
            )
        elif level > self.last_level + 1:
            self.problem(
                token,
                f"heading jumps from level {self.last_level} to {level}: "
                f"use {'#' * (self.last_level + 1)}",
                "markdown.heading-skip",
                "warning",
            )
        self.last_level = level

    def container(self, token: Token) -> None:
        """Turn `::: name` into a labelled <aside>, or report a name nobody knows."""
        name = _container_name(token)
        if name not in CONTAINERS:
            self.problem(
                token,
                f"unknown block '::: {name}': use one of " + ", ".join(CONTAINERS),
                "markdown.unknown-container",
            )
            token.tag = "div"
            return
        labels = CONTAINER_LABELS.get(self.language, CONTAINER_LABELS["en"])
        token.tag = "aside"
        token.attrSet("class", f"box {name}")
        token.meta = {"label": labels[name]}
        if name == "activity" and token.info.split()[1:2] == ["share"]:
            # Numbered in order, so answers stay with their activity across versions.
            token.attrSet("class", "box activity shared")
            token.attrSet("id", f"share{len(self.result.shared) + 1}")
            token.meta = {"label": labels["share"], "shared": True}
            self.sharing = []

    def inline(self, block: Token, children: list[Token]) -> list[Token]:
        """Check links and images inside one paragraph or heading."""
        kept: list[Token] = []
        skip_close = 0
        for index, child in enumerate(children):
            if child.type == "link_open":
                if not self.link(block, child, children[index + 1 :]):
                    skip_close += 1
                    continue
            elif child.type == "link_close" and skip_close:
                skip_close -= 1
                continue
            elif child.type == "image":
                self.image(block, child)
            kept.append(child)
        return kept

    def link(self, block: Token, token: Token, rest: list[Token]) -> bool:
        """Check one link; False drops it (its text stays), for schemes that are not allowed."""
        href = str(token.attrGet("href") or "")
        text = "".join(t.content for t in rest[: _close_index(rest)]).strip()
        if not href.strip():
            self.problem(
                block, f"the link '{text}' has no address", "markdown.empty-link", "warning"
            )
            return False
        scheme = urlsplit(href).scheme.lower()
        if (scheme and scheme not in ALLOWED_SCHEMES) or href.startswith("//"):
            self.problem(
                block,
                f"link to '{href}' is not allowed: use https:, mailto:, tel: "
                "or a link inside the course",
                "markdown.link-scheme",
            )
            return False
        if not text:
            self.problem(
                block, f"the link to '{href}' has no text", "markdown.empty-link", "warning"
            )
        elif text.lower() in VAGUE_LINK_TEXT:
            self.problem(
                block,
                f"link text '{text}' does not say where it goes: name the page",
                "markdown.vague-link",
                "warning",
            )
        if scheme == "https":
            token.attrSet("rel", "noreferrer noopener")
        return True

    def image(self, block: Token, token: Token) -> None:
        """Check an image is a local file in media/ with alt text; set its size and URL."""
        src = unquote(str(token.attrGet("src") or ""))
        alt = "".join(child.content for child in token.children or []).strip()
        token.meta = {"ok": False, "alt": alt}
        if not alt:
            self.problem(
                block,
                f"the image '{src}' needs a description (alt text) in its "
                "brackets: ![what it shows](media/file.png)",
                "markdown.image-alt",
            )
        relative = PurePosixPath(src)
        if (
            src.startswith("/")
            or relative.parts[:1] != ("media",)
            or ".." in relative.parts
            or urlsplit(src).scheme  # last: urlsplit raises ValueError for //[x, never media/x
        ):
            self.problem(
                block,
                f"the image '{src}' must be a file in this module's media/ "
                "folder, written as media/name.png",
                "markdown.image-not-local",
            )
            return
        if self.module_dir is None or self.media_url is None:
            return
        file = self.module_dir / relative
        if not file.is_file():
            self.problem(block, f"the image '{src}' does not exist", "markdown.image-missing")
            return
        if not file.resolve().is_relative_to(self.module_dir.resolve()):
            # A link out of the module would publish whatever file it points at.
            self.problem(
                block,
                f"'{src}' is a link to a file outside this module: copy the file in instead",
                "markdown.image-not-local",
            )
            return
        try:
            with Image.open(file) as picture:
                width, height = picture.size
                kind = picture.format
        except (UnidentifiedImageError, OSError):
            self.problem(block, f"'{src}' is not an image file", "markdown.image-missing")
            return
        except Image.DecompressionBombError:
            self.problem(
                block, f"'{src}' has too many pixels: scale it down", "markdown.image-type"
            )
            return
        if kind not in IMAGE_TYPES:
            self.problem(
                block,
                f"'{src}' is a {kind} image: use PNG, JPEG, GIF or WebP",
                "markdown.image-type",
            )
            return
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:20]
        self.result.media[digest] = MediaFile(file, IMAGE_TYPES[kind])
        token.meta = {
            "ok": True,
            "alt": alt,
            "width": width,
            "height": height,
            "src": self.media_url(digest, file.suffix.lower()),
        }


def _close_index(tokens: list[Token]) -> int:
    """Index of the link_close that ends the link whose contents start `tokens`."""
    for index, token in enumerate(tokens):
        if token.type == "link_close":
            return index
    return len(tokens)


def _render_image(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Render a checked image lazily with its size, or only its description if it failed."""
    meta = tokens[idx].meta or {}
    alt = escape(meta.get("alt", ""))
    if not meta.get("ok"):
        return f'<span class="missing-image">{alt}</span>' if alt else ""
    return (
        f'<img src="{escape(meta["src"])}" alt="{alt}" width="{meta["width"]}" '
        f'height="{meta["height"]}" loading="lazy" decoding="async">'
    )


def _render_container_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Open a named block with its visible label, so it reads the same on screen and paper."""
    token = tokens[idx]
    label = (token.meta or {}).get("label")
    opening = self.renderToken(tokens, idx, options, env)
    return f'{opening}<p class="box-label">{escape(label)}</p>\n' if label else opening
