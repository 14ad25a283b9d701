"""The portal's vocabulary for what the catalogue and intake name by code: form fields, choices,
who may file, deadlines, statuses, timeline steps, outcomes and opinions. Marked with N_ so
Babel extracts them; translated when shown. A code missing here falls back to the code itself
(tests/unit/test_portal_i18n.py fails if the catalogue names one that is missing)."""

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
    "lat": N_("Latitude (optional)"),
    "long": N_("Longitude (optional)"),
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

DEADLINES = {
    "decision": N_("Decision within %(days)s %(unit)s"),
    "to_committee": N_("Referral to the committee within %(days)s %(unit)s"),
}
UNITS = {"working_days": N_("working days"), "calendar_days": N_("days")}

STATUSES = {
    "received": N_("Received"),
    "queued": N_("Waiting for a reviewer"),
    "in_review": N_("Being reviewed"),
    "awaiting_applicant": N_("Waiting for your answer"),
    "in_committee": N_("With the committee"),
    "decided": N_("Decided"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
}

STEPS = {
    "received": N_("Filing received"),
    "queued": N_("Waiting for a reviewer"),
    "claimed": N_("A reviewer took the file"),
    "observations_issued": N_("Observations sent to you"),
    "resubmitted": N_("Your answer was received"),
    "referred_to_committee": N_("Referred to the committee"),
    "step_recorded": N_("Processing step recorded"),
    "decided": N_("Decision taken"),
    "opinion_published": N_("Committee opinion published"),
    "email_sent": N_("Email sent to you"),
    "email_failed": N_("An email could not be delivered"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn at your request"),
    "contested": N_("Decision contested"),
}

OUTCOMES = {
    "note_issued": N_("Information note issued"),
    "rejected": N_("Unfavourable"),
    "answered": N_("Answered"),
    "observations_issued": N_("Preliminary observations issued"),
    "approved": N_("Favourable"),
    "approved_with_conditions": N_("Favourable with conditions"),
    "paid": N_("Paid"),
    "verified": N_("Verified"),
    "approved_for_payment": N_("Approved for payment"),
}

OPINIONS = {
    "favourable": N_("Favourable"),
    "favourable_with_conditions": N_("Favourable with conditions"),
    "unfavourable": N_("Unfavourable"),
    "adjourned": N_("Adjourned"),
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
}

# Staff pages.

STAFF_STATUSES = {
    "received": N_("Received"),
    "queued": N_("Waiting for a reviewer"),
    "in_review": N_("Being reviewed"),
    "awaiting_applicant": N_("Waiting for the applicant"),
    "in_committee": N_("With the committee"),
    "decided": N_("Decided"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
}

DEADLINE_STATES = {
    "on_time": N_("On time"),
    "approaching": N_("Deadline approaching"),
    "overdue": N_("Overdue"),
    "paused": N_("Clock paused"),
    "met": N_("No open deadline"),
}

DEADLINE_NAMES = {"decision": N_("Decision"), "to_committee": N_("Referral to the committee")}

TASK_ACTIONS = {
    "enqueue": N_("Queued"),
    "claim": N_("Taken"),
    "assign": N_("Assigned"),
    "issue_observations": N_("Observations sent"),
    "observations": N_("Observations sent"),
    "resubmit": N_("The applicant answered"),
    "refer_to_committee": N_("Referred to the committee"),
    "refer": N_("Referred to the committee"),
    "decide": N_("Decided"),
    "decision": N_("Decision recorded"),
    "close": N_("Closed"),
    "withdraw": N_("Withdrawn by the applicant"),
    "record_step": N_("Finance step recorded"),
    "steps": N_("Finance step recorded"),
    "adjourn": N_("Adjourned to the next round"),
    "contest": N_("Contested by the applicant"),
    "record_opinion": N_("Opinion recorded"),
    "opinions": N_("Opinion recorded"),
    "publish_opinion": N_("Opinion published"),
    "publish": N_("Opinion published"),
    "download_document": N_("Document downloaded"),
}

ROLES = {
    "reviewer": N_("Reviewer"),
    "committee": N_("Committee member"),
    "supervisor": N_("Supervisor"),
    "finance": N_("Finance officer"),
    "ops": N_("Operator"),
    "admin": N_("Administrator"),
}

DELIVERY_STATUSES = {"pending": N_("Pending"), "sent": N_("Sent"), "failed": N_("Failed")}

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
