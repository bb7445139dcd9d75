"""Data rights (issue 12 item 6): a person's export, their erasure, and the retention
policy that pseudonymises engagements long over.

    inventory.py  every table: what it holds about a person, why, and how long
    export.py     everything about one person, as the person or HR may read it
    erase.py      pseudonymise a person, keeping the programme's aggregates
    retention.py  the periodic job: requests whose engagements ended N years ago
"""
