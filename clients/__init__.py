"""Client-side code for POS devices and integrators; each module stands alone."""
