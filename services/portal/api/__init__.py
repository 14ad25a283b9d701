"""The portal's pages: thin routes that read a form, call intake's HTTP API and render."""
