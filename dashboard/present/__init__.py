"""Storyboards and present mode: saved views, their slides re-drawn from the warehouse, and handouts."""
