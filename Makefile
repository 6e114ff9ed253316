.PHONY: bench

# Benchmarks build their own data in a fresh SQLite file under var/bench/ and print each
# figure beside its limit; pass SCALE=0.1 for a quick run.
SCALE ?= 1

bench:
	.venv/bin/python manage.py bench --scale $(SCALE)
