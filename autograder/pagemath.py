"""The student's page without a network: math rendered on the server as MathML.

nbconvert's lab template loads MathJax (and require.js) from a CDN, so a page opened
offline shows raw TeX. :class:`PageExporter` is nbconvert's HTML exporter with the lab
template minus those scripts, whose markdown renderer turns every ``$...$``, ``$$...$$``
and ``\\begin{...}...\\end{...}`` into MathML with ``latex2mathml`` (pure Python). Browsers
draw MathML themselves (MathML Core: Chromium 109+, Firefox, Safari), so the page needs
no script and no font download. TeX that does not convert stays visible as TeX.
"""

from __future__ import annotations

import html
import re

from jinja2 import DictLoader, pass_context
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

TEMPLATE_NAME = "lrcourse_page.html.j2"
CSS = """
math[display="block"]{display:block math;margin:.6em 0;max-width:100%;overflow-x:auto;overflow-y:hidden}
.jp-RenderedImage img,.jp-OutputArea-output img{max-width:100%;height:auto}
.jp-RenderedImage,.jp-OutputArea-output{overflow-x:auto}
.jp-InputArea .highlight pre,.jp-OutputArea-output pre{white-space:pre-wrap;overflow-wrap:anywhere}
"""
TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{% block extra_css %}<style type=\"text/css\">" + CSS + "</style>{% endblock extra_css %}\n"
)


# what in markdown is not prose: fenced code, code spans, display and inline math
_NOT_PROSE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$|(?<![\\$])\$[^$\n]+\$)", re.S)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def defang_markdown(source):
    """Markdown whose raw HTML shows as text: a student's ``<script>`` or ``<img onerror>`` must not run.

    Only a ``<`` that opens a tag is escaped, outside code and math, so ``a < b``,
    ``$x<y$`` and code read as written.

    Examples
    --------
    >>> defang_markdown("ok <script>alert(1)</script> and $a<b$ and `<b>` and 1 < 2")
    'ok &lt;script>alert(1)&lt;/script> and $a<b$ and `<b>` and 1 < 2'
    """
    parts = _NOT_PROSE.split(source)
    return "".join(part if i % 2 else _TAG_START.sub("&lt;", part) for i, part in enumerate(parts))


def tex_to_mathml(tex, display=False):
    """MathML for a TeX formula, or the TeX itself (escaped) if it does not convert.

    Examples
    --------
    >>> tex_to_mathml(r"\\frac{2}{\\lambda}").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    >>> "mfrac" in tex_to_mathml(r"\\frac{2}{\\lambda}")
    True
    >>> tex_to_mathml("x < y", display=True).count('display="block"')
    1
    """
    from latex2mathml.converter import convert

    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - any TeX latex2mathml cannot read: show it as typed
        delim = "$$" if display else "$"
        return f'<code class="lrc-tex">{html.escape(delim + tex + delim)}</code>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with math as MathML instead of TeX for MathJax."""

    def block_math(self, body):
        return tex_to_mathml(body, display=True)

    def inline_math(self, body):
        return tex_to_mathml(body)

    def latex_environment(self, name, body):
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


_MEMO = {}
_MEMO_SIZE = 4096


def _memo(kind, fn):
    """``fn`` remembered by its arguments: the release's cells are the same on every student's page."""

    def cached(*args, **kwargs):
        key = (kind, repr(args), repr(sorted(kwargs.items())))
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_SIZE:
                _MEMO.clear()
            _MEMO[key] = fn(*args, **kwargs)
        return _MEMO[key]

    return cached


_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")


class PageExporter(HTMLExporter):
    """HTML exporter for the student's page: lab template, no CDN scripts, math as MathML.

    Rendering is most of a page's cost, and most cells (the release's text, the test
    cells) are the same for every student: markdown, highlighting and cleaning are
    remembered by their input, and nbconvert's BeautifulSoup pass over the whole page
    (alt text, tab stops) is replaced by a regular expression for the alt text.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("template_name", "lab")
        super().__init__(**kwargs)
        self.extra_loaders = [DictLoader({TEMPLATE_NAME: TEMPLATE})]
        self.template_file = TEMPLATE_NAME

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        if cell.get("attachments"):
            return MarkdownWithMath(renderer=renderer).render(source)
        return _memo("markdown", lambda text, _path: MarkdownWithMath(renderer=renderer).render(text))(source, path)

    def from_notebook_node(self, nb, resources=None, **kw):
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", _memo(f"highlight {lexer}", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        if not getattr(self, "_clean_memo", False):
            self.register_filter("clean_html", _memo("clean", self.environment.filters["clean_html"]))
            self._clean_memo = True
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html_text, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return _IMG_WITHOUT_ALT.sub('<img alt="a figure from the notebook"', html_text), resources
