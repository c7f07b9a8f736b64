"""ai-csam-law-tracker: build, check and publish the dataset."""

__version__ = "0.1.0"
