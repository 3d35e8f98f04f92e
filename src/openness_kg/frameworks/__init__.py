"""Rules of external frameworks, ported from their own evaluators."""
