"""Invoices and credit notes as PDFs: the document's number and date, the body's name, address and
VAT number, the buyer's billing details and purchase order, each line, and net, VAT by rate and gross.
What a VAT invoice must show follows HMRC's VAT Notice 700/21 (section 16.3: full VAT invoices)."""
from collections import defaultdict
from decimal import Decimal

from flask import current_app
from fpdf import FPDF

from cpd.payments.documents import invoice_of
from cpd.payments.money import text
from cpd.records.downloads import FONTS

TITLES = {"invoice": "Invoice", "credit_note": "Credit note"}


def _pdf(title):
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(current_app.config["BODY_NAME"])
    pdf.add_page()
    return pdf


def _line(pdf, label, value, bold=False):
    pdf.set_font("DejaVu", "B" if bold else "", 10)
    pdf.cell(60, 6, label)
    pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")


def _vat_by_rate(document, order):
    """{rate: (net, vat)}: an invoice's lines as they are; a credit note at its order's rate."""
    if document.kind == "credit_note":
        return {order.lines[0].vat_rate if order.lines else Decimal("0"): (document.net, document.vat)}
    by_rate = defaultdict(lambda: (Decimal("0"), Decimal("0")))
    for line in order.lines:
        net, vat = by_rate[line.vat_rate]
        by_rate[line.vat_rate] = (net + line.net, vat + line.vat)
    return dict(by_rate)


def document_pdf(document):
    order, config = document.order, current_app.config
    title = f"{TITLES[document.kind]} {document.number}"
    pdf = _pdf(title)
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, f"{config['BODY_NAME']}\n{config['BODY_ADDRESS']}\nVAT number: {config['BODY_VAT_NUMBER']}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _line(pdf, "Date", f"{document.issued_at:%-d %B %Y}")
    _line(pdf, "Order", order.number)
    if document.kind == "credit_note":
        invoice = invoice_of(order)
        _line(pdf, "Credits invoice", invoice.number if invoice else "—")
        _line(pdf, "Reason", document.reason or "—")
    elif order.due_on:
        _line(pdf, "Due by", f"{order.due_on:%-d %B %Y}")
    buyer = "\n".join(part for part in (order.billing_name, order.billing_organisation, order.billing_address,
                                       order.billing_email) if part)
    _line(pdf, "Billed to", buyer)
    if order.purchase_order:
        _line(pdf, "Purchase order", order.purchase_order)
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 10)
    for heading, width in (("Description", 90), ("Net", 30), ("VAT", 30), ("Gross", 30)):
        pdf.cell(width, 7, heading, border="B", align="L" if heading == "Description" else "R")
    pdf.ln()
    pdf.set_font("DejaVu", "", 10)
    rows = ([(line.description, line.net, line.vat, line.gross) for line in order.lines] if document.kind == "invoice"
            else [(f"Refund: {order.lines[0].description if order.lines else order.number}",
                   document.net, document.vat, document.gross)])
    for description, net, vat, gross in rows:
        pdf.cell(90, 7, description[:60])
        for amount in (net, vat, gross):
            pdf.cell(30, 7, f"{order.currency} {text(amount)}", align="R")
        pdf.ln()
    pdf.ln(3)
    for rate, (net, vat) in sorted(_vat_by_rate(document, order).items()):
        _line(pdf, f"VAT at {rate * 100:.0f}%", f"{order.currency} {text(vat)} on {order.currency} {text(net)}")
    _line(pdf, "Net", f"{order.currency} {text(document.net)}")
    _line(pdf, "VAT", f"{order.currency} {text(document.vat)}")
    _line(pdf, "Total" if document.kind == "invoice" else "Total credited", f"{order.currency} {text(document.gross)}",
          bold=True)
    if document.kind == "invoice" and order.status == "paid":
        _line(pdf, "Paid", f"{order.currency} {text(order.paid)}, with thanks")
    return bytes(pdf.output())
