"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) on intake: civic apps such as
FixMyStreet file and follow complaints about a place without Lamadi-specific code.

- ``services``: the complaint subtypes as service codes, their attributes, labels (fr, ar);
- ``requests``: a POSTed service request → a complaint filing; a complaint → its public view;
- ``render``: the XML and JSON answers and the specification's error format;
- ``handlers``: client keys and the public queries, ``verb_noun(message, uow, deps)``.

A complaint filed here is a normal ``FileSubmission``: same receipt, review and answer."""
