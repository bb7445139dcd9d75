"""The demo programme: a French company's org chart, coaches with their availability,
coaching requests and demo sign-ins, loaded through the service functions
(`load_demo`), and the same programme as a matcher problem (`matcher_document`)."""

from .content import ACCOUNTS, DemoAccount, matcher_document
from .load import DemoCounts, DemoLoad, load_demo

__all__ = ["ACCOUNTS", "DemoAccount", "DemoCounts", "DemoLoad", "load_demo", "matcher_document"]
