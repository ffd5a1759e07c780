"""Analysis library (issue 3): baseline, benchmark, composite index, projections and targets.

Modules are imported on demand; see each module's docstring.
"""
