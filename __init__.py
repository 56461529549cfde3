"""Tahaluf (تحالف): advice on whether, and on what terms, an NGO should enter an alliance.

The rule base encodes the guide *Networking and Building Alliances*; see README.md.
"""

__version__ = "0.1.0"
