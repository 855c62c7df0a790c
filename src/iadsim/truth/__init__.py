"""Threat truth motion."""
