"""The certificate as a PDF: who, what, when, the CPD hours, the body, and the verify URL with its
QR code, in the same fonts as the CPD profile."""
import io

import segno
from fpdf import FPDF

from cpd.credentials.badges import issuer_profile, verify_url
from cpd.records.downloads import FONTS


def certificate_dates(credential):
    if credential.started_on == credential.ended_on:
        return credential.started_on.strftime("%-d %B %Y")
    return f"{credential.started_on:%-d %B %Y} to {credential.ended_on:%-d %B %Y}"


def certificate_pdf(credential, holder_name):
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(credential.name)
    pdf.set_author(issuer_profile()["name"])
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin
    pdf.set_font("DejaVu", "", 14)
    pdf.set_y(25)
    pdf.cell(width, 10, issuer_profile()["name"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 26)
    heading = "Certificate of attendance" if credential.kind == "attendance" else "Certificate of registration"
    pdf.cell(width, 18, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 14)
    pdf.cell(width, 10, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.cell(width, 14, holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 14)
    what = credential.name.split(": ", 1)[-1]
    pdf.multi_cell(width, 8, ("attended " if credential.kind == "attendance" else "is registered as ") + what,
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 9, certificate_dates(credential), align="C", new_x="LMARGIN", new_y="NEXT")
    if credential.cpd_hours is not None:
        pdf.cell(width, 9, f"{credential.cpd_hours:.2f} hours of CPD credited", align="C", new_x="LMARGIN",
                 new_y="NEXT")
    url = verify_url(credential)
    code = io.BytesIO()
    segno.make(url, error="m").save(code, kind="png", scale=6, border=2)
    code.seek(0)
    pdf.image(code, x=pdf.l_margin, y=pdf.h - 62, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 46, pdf.h - 50)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width - 46, 6, f"Check this certificate at {url}\nCredential {credential.id}, issued "
                                  f"{credential.issued_at:%-d %B %Y}.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
