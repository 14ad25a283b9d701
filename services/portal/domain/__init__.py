"""The portal's own rules (the staff directory, standard replies): pure, no I/O."""
