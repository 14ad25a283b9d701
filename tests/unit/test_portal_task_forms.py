"""A task action's form is generated from the fields review says it takes, and the posted form
becomes the JSON body by the fields' names: nested names, numbers, lines, fields taken with one
outcome only; review's field errors land on the form's fields."""

from services.portal.adapters.review_models import AllowedAction
from services.portal.domain.task_forms import action_form, body_of, errors_of, note_facts

DECIDE = AllowedAction.model_validate({
    "action": "decide", "path": "/api/v1/tasks/t/decision", "outcomes": ["note_issued", "rejected"],
    "fields": [{"name": "outcome", "type": "choice", "required": True},
               {"name": "text", "type": "text", "required": True},
               {"name": "note.zoning", "type": "text", "required": True, "outcome": "note_issued"},
               {"name": "note.allowed_height_m", "type": "number", "required": True, "outcome": "note_issued"},
               {"name": "note.remarks", "type": "text", "required": False, "outcome": "note_issued"},
               {"name": "preliminary_observations", "type": "lines", "required": True,
                "outcome": "observations_issued"}]})
ASSIGN = AllowedAction.model_validate({
    "action": "assign", "path": "/api/v1/tasks/t/assign", "assignable_roles": ["reviewer"],
    "fields": [{"name": "assignee", "type": "choice", "required": True}]})


def test_the_body_nests_dotted_names_reads_numbers_and_keeps_only_the_chosen_outcomes_fields():
    form = {"outcome": "note_issued", "text": " La note. ", "note.zoning": "R+2", "note.allowed_height_m": "11,5",
            "note.remarks": "", "preliminary_observations": "ignored", "csrftoken": "x"}
    assert body_of(DECIDE.fields, form) == {"outcome": "note_issued", "text": "La note.",
                                            "note": {"zoning": "R+2", "allowed_height_m": 11.5}}
    rejected = {"outcome": "rejected", "text": "Non.", "note.zoning": "R+2"}
    assert body_of(DECIDE.fields, rejected) == {"outcome": "rejected", "text": "Non."}


def test_lines_are_the_non_empty_lines_and_what_is_not_a_number_goes_to_review_as_typed():
    lines = AllowedAction.model_validate({"action": "decide", "path": "/api/v1/tasks/t/decision",
                                          "outcomes": ["observations_issued"], "fields": [
                                              {"name": "outcome", "type": "choice", "required": True},
                                              {"name": "preliminary_observations", "type": "lines",
                                               "required": True, "outcome": "observations_issued"}]})
    form = {"outcome": "observations_issued", "preliminary_observations": "Recul de 4 m\n\n  Hauteur R+2 \n"}
    assert body_of(lines.fields, form)["preliminary_observations"] == ["Recul de 4 m", "Hauteur R+2"]
    typed = {"outcome": "note_issued", "text": "", "note.zoning": "", "note.allowed_height_m": "onze"}
    assert body_of(DECIDE.fields, typed) == {"outcome": "note_issued", "text": "",
                                             "note": {"zoning": "", "allowed_height_m": "onze"}}
    assert note_facts(DECIDE.fields, typed) == {"zoning": "", "allowed_height_m": "onze", "remarks": None}


def test_an_action_without_fields_posts_no_body():
    claim = AllowedAction.model_validate({"action": "claim", "path": "/api/v1/tasks/t/claim"})
    assert body_of(claim.fields, {"csrftoken": "x"}) is None
    assert action_form(claim, {}).fields == ()


def test_the_form_offers_the_actions_own_codes_and_the_colleagues_given_for_other_choices():
    decide = action_form(DECIDE, {})
    outcome = decide.fields[0]
    assert (outcome.widget, outcome.family, [v for v, _ in outcome.choices]) == (
        "radios", "outcomes", ["note_issued", "rejected"])
    assert decide.previews_note and [g for g, _ in decide.grouped] == [None, "note_issued", "observations_issued"]
    assert not next(f for f in decide.fields if f.name == "note.zoning").browser_required
    assign = action_form(ASSIGN, {"assignee": [("amina@agence.ma", "Amina")]})
    assert (assign.fields[0].widget, assign.fields[0].choices) == ("select", (("amina@agence.ma", "Amina"),))


def test_reviews_field_errors_land_on_the_forms_fields_and_the_rest_on_the_action():
    problems = [{"field": "body.note.allowed_height_m", "code": "float_parsing"},
                {"field": "body.text", "code": "string_too_short"}, {"field": "note", "code": "invalid"},
                {"field": "body", "code": "missing"}]
    assert errors_of(DECIDE.fields, problems) == {"note.allowed_height_m": "number", "text": "required",
                                                  "note.zoning": "format", "action": "required"}
