"""Pages of the classes app: learners' (mobile), staff roster and QR, station groups, records."""
