"""Notifier: emails the applicant at each step of a filing (receipt with its PDF récépissé,
observations, decision with the information note as a PDF, invoice steps, committee
adjournment, contest, withdrawal), in Arabic or French, and deadline alerts to staff in French;
at least once and recorded before sending (docs/architecture.md#email-at-least-once)."""
