from datetime import date

import pytest
from pydantic import ValidationError

from shared.calendar import WorkingCalendar
from shared.catalogue import DEFAULT_PATH, Catalogue, default_catalogue, load_catalogue

calendar = WorkingCalendar()


def test_working_days_skip_the_weekend_and_a_public_holiday():
    # Thursday 2026-11-05; Friday 11-06 is the Green March holiday; then a weekend.
    assert calendar.holiday_name(date(2026, 11, 6)) == "Green March"
    assert calendar.add_days(date(2026, 11, 5), 1, "working_days") == date(2026, 11, 9)
    assert calendar.add_days(date(2026, 11, 5), 10, "working_days") == date(2026, 11, 23)  # 11-18 is a holiday too
    assert calendar.add_days(date(2026, 11, 5), 10, "calendar_days") == date(2026, 11, 15)


def test_days_between_counts_only_working_days():
    # Monday 2026-11-23 to Saturday 11-28: five working days.
    assert calendar.days_between(date(2026, 11, 22), date(2026, 11, 28), "working_days") == 5
    assert calendar.days_between(date(2026, 11, 28), date(2026, 11, 22), "working_days") == 0
    assert calendar.days_between(date(2026, 11, 22), date(2026, 11, 28), "calendar_days") == 6


def test_the_catalogue_covers_every_kind_with_labels_documents_and_deadlines():
    catalogue = default_catalogue()
    assert set(catalogue.kinds) == {"information_note", "complaint", "pre_study", "building_permit",
                                    "subdivision_permit", "supplier_invoice"}
    note = catalogue.kind("information_note")
    assert note.required_documents == ["cin_copy", "property_proof", "situation_plan"]
    assert note.label("ar") == "مذكرة المعلومات التعميرية"
    permit = catalogue.kind("building_permit")
    assert [(r.name, r.days) for r in permit.deadlines_for({"project_size": "large"})] == [
        ("to_committee", 3), ("decision", 25)]
    assert [(r.name, r.days) for r in permit.deadlines_for({"project_size": "small"})] == [
        ("to_committee", 3), ("decision", 10)]


def test_a_changed_deadline_is_configuration(tmp_path, monkeypatch):
    text = DEFAULT_PATH.read_text()
    changed = tmp_path / "catalogue.toml"
    changed.write_text(text.replace('name = "decision", days = 10, unit = "working_days"',
                                    'name = "decision", days = 7, unit = "working_days"', 1))
    monkeypatch.setenv("LAMADI_CATALOGUE_PATH", str(changed))
    assert load_catalogue().kind("information_note").deadlines[0].days == 7


def test_a_catalogue_naming_an_unknown_document_or_breaking_the_legal_cap_is_refused():
    base = default_catalogue().model_dump()
    base["kinds"]["complaint"]["required_documents"] = ["passport"]
    with pytest.raises(ValidationError, match="unknown document types: passport"):
        Catalogue.model_validate(base)
    base = default_catalogue().model_dump()
    base["kinds"]["complaint"]["deadlines"][0]["days"] = 90
    with pytest.raises(ValidationError):
        Catalogue.model_validate(base)
