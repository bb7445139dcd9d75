"""Evaluations: invited at the end of an engagement, answered voluntarily, stored detached
from the engagement and the person, released in cells of at least k (see
`api.models.evaluations`)."""
