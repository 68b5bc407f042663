"""The web views of a situation model: the self-contained HTML report (``sitrep report``)."""
