"""The ``lamadi`` command line and the local mail catcher."""
