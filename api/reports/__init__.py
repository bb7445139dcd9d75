"""Reports on the programme (issue 12): indicators with small groups suppressed."""
