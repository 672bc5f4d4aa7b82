"""Tests of the native training CLI, its data preparation and the committed defaults."""
