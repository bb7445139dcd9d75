"""The audit log (issue 12 item 5): every read of a confidential field and every change,
by whom, when and from where, in an append-only, hash-chained table.

    context.py  who is acting on a database session (set by the request's dependencies)
    capture.py  the session hooks: changes seen at each flush, appended at commit
    chain.py    appending under the head's lock, and verifying the chain
    reads.py    the confidential reads (brief, objectives), recorded where they happen
    service.py  HR's query and each person's "who read my data", with its alarm
"""
