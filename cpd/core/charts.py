"""Charts rendered on the server as SVG (pygal), shown as images: no JavaScript needed.

Every chart on a page also has its figures in a table beside it, for screen readers.
"""
import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5560",
    colors=("#0b4f6c", "#b5480b", "#1d6b36", "#6b3fa0", "#8a6d00", "#a4161a"),
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
)


def _config(chart_class, title, **options):
    return chart_class(
        title=title,
        style=STYLE,
        js=[],  # no script from anywhere: the SVG is shown as an image
        width=720,
        height=360,
        legend_at_bottom=True,
        print_values=False,
        truncate_label=-1,
        truncate_legend=-1,
        **options,
    )


def _render(chart_class, title, labels, series, **options):
    chart = _config(chart_class, title, **options)
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, [float(v) if v is not None else None for v in values])
    return chart.render_data_uri()


def bar_chart(title, labels, series, **options):
    """`series`: [(name, [value per label])]; returns a data: URI for an <img>."""
    return _render(pygal.Bar, title, labels, series, **options)


def line_chart(title, labels, series, **options):
    return _render(pygal.Line, title, labels, series, **options)
