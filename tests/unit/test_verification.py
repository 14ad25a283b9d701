"""The verification code: unguessable, typed back however a person writes it, named by the PDF."""

from __future__ import annotations

from shared.verification import CODE_LENGTH, claimed_code, grouped, keywords_for, new_code, normalise


def test_a_code_is_160_random_bits_in_base32_capitals_and_digits():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH == 32 and set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
               for code in codes)


def test_a_typed_code_is_read_back_whatever_its_case_separators_or_lookalike_digits():
    code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    assert grouped(code) == "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    assert normalise(grouped(code).lower()) == code
    assert normalise(" abcd efgh ijkl mnop qrst uvwx yz23 4567 ") == code
    assert normalise("A8CD-EFGH-1JKL-MN0P-QRST-UVWX-YZ23-4567") == code  # 8, 1 and 0 typed for B, I and O
    for wrong in ("", "ABCD", code + "A", code[:-1] + "9", code[:-1] + "!", None):
        assert normalise(wrong) is None


def test_a_pdf_names_its_code_in_its_keywords_and_other_bytes_name_none():
    from fpdf import FPDF

    code = new_code()
    pdf = FPDF()
    pdf.add_page()
    pdf.set_keywords(keywords_for(code))
    assert claimed_code(bytes(pdf.output())) == code
    plain = FPDF()
    plain.add_page()
    assert claimed_code(bytes(plain.output())) is None
    assert claimed_code(b"not a pdf") is None
