"""Functions that reproduce other tools' outputs exactly, for users migrating code and for conformance tests."""
