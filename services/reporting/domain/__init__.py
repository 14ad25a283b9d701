"""Reporting's pure logic: what an event leaves in the report, and how entries add up."""
