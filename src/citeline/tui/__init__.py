"""The Textual browser. Everything under here may import textual; the core may not."""
