"""Turning Violations and models into output formats. Renderers never decide what a drift is."""
