"""citeline: a terminal timeline browser whose every event cites its sources verbatim."""

__version__ = "0.1.0"
