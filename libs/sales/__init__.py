"""The rules of a sale that more than one service applies, so they can never disagree:
rounding money and the tenders it is paid in (`money.py`), adding tax up per rate (`tax.py`),
a shift's X and Z reports as pure functions (`shift_report.py`) and the read-only SQL of the
facts they are made of (`shift_facts.py`), which the orders service (the till's X and Z) and
the reports service (the back office's shift report) both use."""
