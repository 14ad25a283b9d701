"""The portal's own sentences for what its forms and staff pages name by code: form fields and
their hints, choices, who may file, errors, directory actions, the menu, and the forms of a
task's actions (their titles, buttons and fields, by the names review gives them). Marked with N_ so
Babel extracts them; translated when shown. A code missing here falls back to the code itself
(tests/unit/test_portal_i18n.py fails if the catalogue names one that is missing).

The codes the services produce (statuses, outcomes, opinions, steps, task actions, deadlines,
deadline states, roles, delivery states) are not named here but in shared/vocabulary.toml, as
the emails and PDFs name them: views.py's ``named`` reads it."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's marker for "translate later"
    return message


FIELDS = {
    "full_name": N_("Full name"),
    "email": N_("Email address"),
    "phone": N_("Phone number"),
    "cin": N_("National identity card number (CIN)"),
    "land_title": N_("Land title or requisition number"),
    "commune": N_("Commune"),
    "address": N_("Address of the parcel"),
    "purpose": N_("Purpose of the request"),
    "subtype": N_("Type"),
    "subject": N_("Subject"),
    "message": N_("Your message"),
    "architect_registration": N_("Architect's registration number"),
    "project_title": N_("Project title"),
    "description": N_("Description of the project"),
    "previous_tracking_number": N_("Tracking number of your earlier pre-study"),
    "project_size": N_("Project size"),
    "built_area_m2": N_("Built area (m²)"),
    "floors": N_("Number of floors"),
    "professional_registration": N_("Architect's or surveyor's registration number"),
    "land_area_m2": N_("Land area (m²)"),
    "lots": N_("Number of lots"),
    "company_name": N_("Company or design office"),
    "ice": N_("ICE (common company identifier)"),
    "invoice_number": N_("Invoice number"),
    "invoice_date": N_("Invoice date"),
    "amount_mad": N_("Amount (MAD)"),
    "contract_reference": N_("Contract or order reference"),
    "topic": N_("What it is about"),
    "address_string": N_("Where: the address or a description of the place"),
    "location": N_("Location"),
    # The form adds "(optional)" to every optional field itself.
    "lat": N_("Latitude"),
    "long": N_("Longitude"),
}

HINTS = {
    "cin": N_("For example AB123456"),
    "phone": N_("For example +212 600 000 000"),
    "ice": N_("15 digits"),
    "previous_tracking_number": N_("Only if you file the same project again, for example AU-2026-ABCDE-12345"),
    "message": N_("At least 10 characters"),
    "description": N_("At least 10 characters"),
    "email": N_("We send the receipt and every answer to this address"),
}

CHOICES = {
    "complaint": N_("Complaint"),
    "observation": N_("Observation"),
    "suggestion": N_("Suggestion"),
    "building_site": N_("A building site"),
    "missing_permit_sign": N_("A missing permit sign"),
    "illegal_construction": N_("An illegal construction"),
    "other": N_("Something else"),
    "small": N_("Small project"),
    "large": N_("Large project"),
    "subdivision": N_("Subdivision"),
    "parcelling": N_("Parcelling"),
    "housing_group": N_("Housing group"),
}

FILED_BY = {
    "owner": N_("The owner of the parcel, with their national identity card"),
    "anyone": N_("Anyone"),
    "architect": N_("An architect"),
    "architect or surveyor": N_("An architect or a surveyor"),
    "company or design office (ICE)": N_("A company or design office (with its ICE)"),
}


def label(table: dict[str, str], code: str, gettext) -> str:
    return gettext(table[code]) if code in table else code


ERRORS = {
    "required": N_("“%(label)s” is required"),
    "too_short": N_("“%(label)s” is too short"),
    "too_long": N_("“%(label)s” is too long"),
    "format": N_("“%(label)s” is not in the expected format"),
    "choice": N_("Choose a value for “%(label)s”"),
    "number": N_("“%(label)s” must be a number in the allowed range"),
    "previous_filing": N_("No decided pre-study of yours has this tracking number"),
    "missing_document": N_("Attach “%(label)s”"),
    "too_large": N_("“%(label)s” is larger than the size allowed"),
    "document": N_("“%(label)s” must be a PDF, PNG or JPEG file"),
    "too_many": N_("Too many documents in one sending"),
    "outside_area": N_("“%(label)s”: this place is outside the agency's area; give a place on its territory"),
}

# Staff pages.

DIRECTORY_ACTIONS = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Sign-in failed"),
    "sign_in_refused_locked": N_("Sign-in refused: account locked"),
    "locked_out": N_("Account locked"),
    "sign_out": N_("Signed out"),
    "staff_added": N_("Account added"),
    "staff_disabled": N_("Account disabled"),
    "staff_enabled": N_("Account enabled"),
    "password_reset": N_("Password reset"),
    "staff_unlocked": N_("Account unlocked"),
    "roles_changed": N_("Roles changed"),
    "reply_saved": N_("Standard reply saved"),
    "reply_deleted": N_("Standard reply deleted"),
}

MENU = {
    "Work queue": N_("Work queue"),
    "Committees": N_("Committees"),
    "Supplier invoices": N_("Supplier invoices"),
    "Standard replies": N_("Standard replies"),
    "Queues": N_("Queues"),
    "Services": N_("Services"),
    "Emails": N_("Emails"),
    "Daily reports": N_("Daily reports"),
    "Staff directory": N_("Staff directory"),
}

# A task's actions, by the policy's names review gives them (allowed_actions): each form's
# title, what its button says, a hint under the title, and what the page says once it is done.
# An action missing here still has its form, titled by its code.
TASK_FORMS = {
    "claim": N_("Nobody has taken this task yet"),
    "assign": N_("Assign to a colleague"),
    "observe": N_("Ask the applicant"),
    "decide": N_("Decision"),
    "refer": N_("Refer to a committee session"),
    "record_step": N_("Next finance step"),
    "record_opinion": N_("Your opinion"),
    "publish": N_("Publish the committee's opinion"),
}

TASK_BUTTONS = {
    "claim": N_("Take this task"),
    "assign": N_("Assign"),
    "observe": N_("Send the observations"),
    "decide": N_("Record the decision"),
    "refer": N_("Refer"),
    "record_step": N_("Record the step"),
    "record_opinion": N_("Record my opinion"),
    "publish": N_("Publish"),
}

TASK_HINTS = {
    "observe": N_("The deadline clock pauses until the applicant answers."),
    "publish": N_("The aggregate, %(opinion)s, is published on the agency's website and decides the file; an "
                  "adjourned aggregate opens the next round."),
}

TASK_DONE = {
    "claim": N_("You took this task."),
    "assign": N_("The task was assigned."),
    "observe": N_("The observations were sent to the applicant."),
    "decide": N_("The decision was recorded."),
    "refer": N_("The task was referred to the committee."),
    "record_step": N_("The finance step was recorded."),
    "record_opinion": N_("Your opinion was recorded."),
    "publish": N_("The committee's opinion was published."),
    # The filing's issued documents (domain/issued.py), changed in the notifier's register.
    "revocation": N_("The document was revoked: its verification page says so."),
    "correction": N_("The corrected information note was issued; the earlier one is revoked and points to it."),
}

# The fields of those forms, by review's names of the body's fields.
TASK_FIELDS = {
    "assignee": N_("Colleague"),
    "observations": N_("Observations"),
    "outcome": N_("Outcome"),
    "text": N_("Text of the decision (sent to the applicant)"),
    "note.zoning": N_("Zoning"),
    "note.allowed_height_m": N_("Allowed height (m)"),
    "note.setbacks": N_("Setbacks"),
    "note.servitudes": N_("Servitudes"),
    "note.remarks": N_("Remarks"),
    "preliminary_observations": N_("Preliminary observations, one per line"),
    "session_id": N_("Session"),
    "step": N_("Step"),
    "note": N_("Note"),
    "opinion": N_("Opinion"),
    "motive": N_("Motive"),
}
