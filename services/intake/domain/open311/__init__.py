"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) on intake, its pure rules: civic apps
such as FixMyStreet file and follow complaints about a place without Lamadi-specific code.

- ``services``: the complaint subtypes as service codes, their attributes, labels (fr, ar);
- ``requests``: a POSTed service request → a complaint filing; a complaint → its public view.

The routes (and the XML or JSON answers) are ``api/open311.py`` and ``api/open311_render.py``,
the handlers ``handlers/open311.py``. A complaint filed there is a normal ``FileSubmission``:
same receipt, review and answer."""
