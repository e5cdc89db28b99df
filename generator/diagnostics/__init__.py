"""Diagnostics: the error catalogue, the Diagnostic type and its reporters."""

from generator.diagnostics.catalogue import CATALOGUE, Rule, Severity
from generator.diagnostics.diagnostic import CheckReport, Diagnostic, make

__all__ = ["CATALOGUE", "CheckReport", "Diagnostic", "Rule", "Severity", "make"]
