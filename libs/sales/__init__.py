"""A shift's X and Z reports, shared by the orders service (the till's X and Z) and the reports
service (the back office's shift report): the pure report functions (`reports.py`) and the
read-only SQL of a shift's facts (`facts.py`), so the two can never disagree."""
